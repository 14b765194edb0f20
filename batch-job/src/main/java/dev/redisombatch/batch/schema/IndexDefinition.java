package dev.redisombatch.batch.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an index covers and holds: the key type, the key prefixes, an optional filter expression, the index-wide
 * options (language, score, stopwords...) and the fields.
 *
 * <p>{@link #schemaTokens} is the single rendering: FT.CREATE gets the tokens as separate arguments (a prefix or a
 * name with a space in it stays one argument), and Redis OM Python's schema text, whose sha1 it keeps in
 * {@code <index>:hash}, is the same tokens joined by spaces.
 */
public record IndexDefinition(
        KeyType keyType, List<String> prefixes, String filter, IndexOptions options, List<IndexField> fields) {

    /** What documents the index reads. */
    public enum KeyType {
        HASH,
        JSON
    }

    public IndexDefinition {
        Objects.requireNonNull(keyType, "keyType");
        // FT.INFO reports an index without PREFIX as having the one prefix "".
        prefixes = prefixes.equals(List.of("")) ? List.of() : List.copyOf(prefixes);
        filter = filter == null || filter.isBlank() ? null : filter;
        options = options == null ? IndexOptions.DEFAULTS : options;
        fields = List.copyOf(fields);
    }

    /** A definition with RediSearch's default index options. */
    public IndexDefinition(KeyType keyType, List<String> prefixes, String filter, List<IndexField> fields) {
        this(keyType, prefixes, filter, IndexOptions.DEFAULTS, fields);
    }

    /** The same definition over other key prefixes (a probe over keys no one has). */
    public IndexDefinition withPrefixes(List<String> otherPrefixes) {
        return new IndexDefinition(keyType, otherPrefixes, filter, options, fields);
    }

    /**
     * TEXT fields of this definition, read from an FT.INFO that does not report PHONETIC, that {@code wanted} keeps
     * without a PHONETIC of its own: if they had one, the replacement loses it.
     */
    public List<String> phoneticMaybeLostIn(IndexDefinition wanted) {
        Map<String, IndexField> next = byName(wanted.fields);
        return fields.stream()
                .filter(field -> IndexField.PHONETIC_UNREPORTED.equals(field.phonetic()))
                .filter(field ->
                        next.containsKey(field.name()) && next.get(field.name()).phonetic() == null)
                .map(IndexField::name)
                .toList();
    }

    /** The fields that use an option RediSearch accepts only from 2.10 on (INDEXMISSING, INDEXEMPTY). */
    public List<String> fieldsNeedingSearch210() {
        return fields.stream()
                .filter(IndexField::needsSearch210)
                .map(IndexField::name)
                .toList();
    }

    /** Everything after the index name in FT.CREATE, which is also Redis OM's schema text split at spaces. */
    public List<String> schemaTokens() {
        List<String> tokens = new ArrayList<>(List.of("ON", keyType.name()));
        if (!prefixes.isEmpty()) {
            tokens.add("PREFIX");
            tokens.add(Integer.toString(prefixes.size()));
            tokens.addAll(prefixes);
        }
        if (filter != null) {
            tokens.add("FILTER");
            tokens.add(filter);
        }
        tokens.addAll(options.tokens());
        tokens.add("SCHEMA");
        fields.forEach(field -> tokens.addAll(field.schemaTokens()));
        return tokens;
    }

    /** Redis OM Python's form, as kept in {@code <index>:schema}: {@code ON HASH PREFIX 1 p: SCHEMA ...}. */
    public String schemaText() {
        return String.join(" ", schemaTokens());
    }

    /** {@code FT.CREATE <indexName> ON ...}, each word its own argument. */
    public List<String> createCommand(String indexName) {
        List<String> arguments = new ArrayList<>();
        arguments.add("FT.CREATE");
        arguments.add(indexName);
        arguments.addAll(schemaTokens());
        return arguments;
    }

    /** Whether the two index the same documents the same way; the order of fields does not matter. */
    public boolean sameAs(IndexDefinition other) {
        return differencesFrom(other).isEmpty();
    }

    /** What changes going from {@code before} to this definition, one line per difference; empty when the same. */
    public List<String> differencesFrom(IndexDefinition before) {
        List<String> differences = new ArrayList<>();
        if (keyType != before.keyType) {
            differences.add("key type " + before.keyType + " -> " + keyType);
        }
        if (!prefixes.equals(before.prefixes)) {
            differences.add("prefixes " + before.prefixes + " -> " + prefixes);
        }
        if (!Objects.equals(filter, before.filter)) {
            differences.add("filter " + before.filter + " -> " + filter);
        }
        differences.addAll(options.differencesFrom(before.options));
        Map<String, IndexField> earlier = byName(before.fields);
        Map<String, IndexField> now = byName(fields);
        earlier.keySet().stream()
                .filter(name -> !now.containsKey(name))
                .forEach(name -> differences.add("field " + name + " removed"));
        now.forEach((name, field) -> {
            IndexField old = earlier.get(name);
            if (old == null) {
                differences.add("field " + name + " added (" + field.type() + ")");
            } else {
                field.differencesFrom(old).forEach(change -> differences.add("field " + name + ": " + change));
            }
        });
        return differences;
    }

    private static Map<String, IndexField> byName(List<IndexField> fields) {
        Map<String, IndexField> byName = new LinkedHashMap<>();
        fields.forEach(field -> byName.put(field.name(), field));
        return byName;
    }
}
