package dev.redisombatch.migration;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One stored record as a migration sees it: its key and its top-level fields as strings.
 *
 * <p>For a hash the fields are the hash's fields. For a JSON document they are the top-level members, each as its
 * JSON text ({@code "Paris"} with its quotes, {@code 1705314600}, {@code {"city":"Paris"}}), and {@link #at} reaches
 * nested values by path ({@code address.since}, {@code orders[0].created_at}); a {@link Change} then names the paths
 * to set, to JSON text, or to remove. {@link Json} reads and writes JSON text.
 * When the migration names the fields it reads ({@link DataMigration#fieldsRead()}), only those are present: for a
 * JSON document, the top-level members those paths start from.
 */
public final class Document {

    private final String key;
    private final Map<String, String> fields;
    private final boolean json;
    /**
     * A JSON document's members as indexed for {@link #at} and {@link #paths}, each on first use: a migration that
     * reads every element of a large array reads the array's text once, not once per element.
     */
    private final Map<String, JsonIndex> indexes;

    public Document(String key, Map<String, String> fields) {
        this(key, fields, false);
    }

    private Document(String key, Map<String, String> fields, boolean json) {
        this.key = Objects.requireNonNull(key, "key");
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(fields, "fields")));
        this.json = json;
        this.indexes = json ? new ConcurrentHashMap<>(4) : null;
    }

    /** A hash. */
    public static Document of(String key, Map<String, String> fields) {
        return new Document(key, fields);
    }

    /** A JSON document given by its top-level members, each as JSON text. */
    public static Document json(String key, Map<String, String> members) {
        return new Document(key, members, true);
    }

    /**
     * A JSON document given by its text, which must be an object.
     *
     * @throws IllegalArgumentException when it is not a JSON object
     */
    public static Document json(String key, String json) {
        if (!json.strip().startsWith("{")) {
            throw new IllegalArgumentException(key + ": a JSON document must be an object, not " + json);
        }
        return new Document(key, Json.members(json), true);
    }

    /** Whether this is a JSON document, whose fields are JSON texts, rather than a hash. */
    public boolean isJson() {
        return json;
    }

    /**
     * The value at {@code path}: for a JSON document, the JSON text at a dotted path with array indexes
     * ({@code address.since}, {@code orders[1].created_at}); for a hash, the field of that exact name.
     */
    public Optional<String> at(String path) {
        if (!json) {
            return get(path);
        }
        String head = Json.topMember(path);
        String member = fields.get(head);
        String rest = Json.tail(path);
        if (member == null || rest.isEmpty()) {
            return Optional.ofNullable(member);
        }
        JsonIndex.Value value = index(head).at(rest);
        return value == null ? Optional.empty() : Optional.of(value.json());
    }

    private JsonIndex index(String member) {
        return indexes.computeIfAbsent(member, name -> new JsonIndex(fields.get(name)));
    }

    /**
     * The paths of a JSON document that {@code pattern} names, {@code [*]} standing for every element of an array:
     * {@code orders[*].created_at} gives {@code orders[0].created_at} and so on for each order that has one. For a
     * hash, the field itself when present.
     */
    public List<String> paths(String pattern) {
        if (!json) {
            return has(pattern) ? List.of(pattern) : List.of();
        }
        String head = Json.topMember(pattern);
        String member = fields.get(head);
        if (member == null) {
            return List.of();
        }
        String rest = Json.tail(pattern);
        if (rest.isEmpty()) {
            return List.of(head);
        }
        return index(head).expand(rest).stream()
                .map(path -> path.startsWith("[") ? head + path : head + "." + path)
                .toList();
    }

    /** A JSON document's text: its members as one object. */
    public String toJson() {
        StringBuilder text = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (text.length() > 1) {
                text.append(',');
            }
            text.append(Json.quote(name)).append(':').append(json ? value : Json.quote(value));
        });
        return text.append('}').toString();
    }

    public String key() {
        return key;
    }

    /** The fields, in the order Redis returned them; unmodifiable. */
    public Map<String, String> fields() {
        return fields;
    }

    public Optional<String> get(String field) {
        return Optional.ofNullable(fields.get(field));
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Document that
                && json == that.json
                && key.equals(that.key)
                && fields.equals(that.fields);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + fields.hashCode();
    }

    @Override
    public String toString() {
        return key + " " + (json ? toJson() : fields);
    }
}
