package dev.redisombatch.batch.schema;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML mapping read from a file, with the line of every value at hand, so that a bad value is reported as
 * {@code file:line: problem} rather than as a stack trace.
 */
final class YamlMapping {

    private final Path file;
    private final Node node;
    private final Map<String, Node> entries = new LinkedHashMap<>();

    YamlMapping(Path file, Node node, String what) {
        this.file = file;
        this.node = node;
        if (!(node instanceof MappingNode mapping)) {
            throw problem(node, what + " must be a mapping of key: value lines");
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode(), "a key");
            if (entries.put(key, tuple.getValueNode()) != null) {
                throw problem(tuple.getKeyNode(), "key " + key + " appears twice");
            }
        }
    }

    /** Refuses keys outside {@code allowed}: a misspelt option must not be silently ignored. */
    YamlMapping onlyKeys(Set<String> allowed) {
        entries.forEach((key, value) -> {
            if (!allowed.contains(key)) {
                throw problem(value, "unknown key " + key + " (expected one of " + new TreeSet<>(allowed) + ")");
            }
        });
        return this;
    }

    boolean has(String key) {
        Node value = entries.get(key);
        return value != null && !isNull(value);
    }

    /** Whether {@code key}'s value is itself a mapping. */
    boolean isMapping(String key) {
        return entries.get(key) instanceof MappingNode;
    }

    String string(String key) {
        if (!has(key)) {
            throw problem(node, "missing " + key);
        }
        return scalar(entries.get(key), key);
    }

    String string(String key, String fallback) {
        return has(key) ? scalar(entries.get(key), key) : fallback;
    }

    boolean flag(String key) {
        if (!has(key)) {
            return false;
        }
        String value = scalar(entries.get(key), key);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw problem(entries.get(key), key + ": expected true or false, not " + value);
        };
    }

    double number(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        String value = scalar(entries.get(key), key);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw problem(entries.get(key), key + ": expected a number, not " + value);
        }
    }

    YamlMapping mapping(String key) {
        return has(key) ? new YamlMapping(file, entries.get(key), key) : null;
    }

    /** The string values of a mapping such as {@code attributes: {TYPE: FLOAT32, DIM: 4}}. */
    Map<String, String> strings(String key) {
        YamlMapping inner = mapping(key);
        Map<String, String> values = new LinkedHashMap<>();
        if (inner != null) {
            inner.entries.forEach((name, value) -> values.put(name, scalar(value, name)));
        }
        return values;
    }

    List<String> stringList(String key) {
        List<String> values = new ArrayList<>();
        for (Node item : sequence(key)) {
            values.add(scalar(item, key));
        }
        return values;
    }

    /** A value that may be given alone ({@code key: a}) or as a list ({@code key: [a, b]}); empty when absent. */
    List<String> oneOrList(String key) {
        if (!has(key)) {
            return List.of();
        }
        return entries.get(key) instanceof SequenceNode ? stringList(key) : List.of(scalar(entries.get(key), key));
    }

    /** The line of {@code key}'s value; that of the mapping when the key is absent. */
    int line(String key) {
        return entries.getOrDefault(key, node).getStartMark().getLine() + 1;
    }

    List<YamlMapping> mappingList(String key) {
        List<YamlMapping> values = new ArrayList<>();
        for (Node item : sequence(key)) {
            values.add(new YamlMapping(file, item, "each of " + key));
        }
        return values;
    }

    private List<Node> sequence(String key) {
        if (!has(key)) {
            return List.of();
        }
        if (!(entries.get(key) instanceof SequenceNode sequence)) {
            throw problem(entries.get(key), key + " must be a list");
        }
        return sequence.getValue();
    }

    /** The problem, at this mapping's key or, when it is absent, at the mapping itself. */
    SchemaFileException problemAt(String key, String problem) {
        return problem(entries.getOrDefault(key, node), problem);
    }

    private String scalar(Node value, String what) {
        if (!(value instanceof ScalarNode scalar)) {
            throw problem(value, what + " must be a single value");
        }
        return scalar.getValue();
    }

    private static boolean isNull(Node value) {
        return value instanceof ScalarNode scalar && scalar.getTag().getValue().endsWith(":null");
    }

    private SchemaFileException problem(Node at, String problem) {
        return new SchemaFileException(file, at.getStartMark().getLine() + 1, problem);
    }
}
