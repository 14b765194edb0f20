package dev.redisombatch.batch.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An index as FT.INFO describes it. Asked by alias, FT.INFO answers for the index the alias points at, whose name is
 * {@link #name}.
 *
 * @param indexing whether RediSearch is still indexing the documents that existed when the index was created
 * @param percentIndexed 0 to 1
 * @param hashIndexingFailures documents the index could not read, e.g. an ISO date in a NUMERIC field
 * @param unmodelled what FT.INFO reports that {@link #definition} cannot hold, one phrase each (an option of a newer
 *     RediSearch); an index rebuilt from a definition would lose it, so whoever replaces the index names these in a
 *     warning
 */
public record LiveIndex(
        String name,
        IndexDefinition definition,
        long numDocs,
        boolean indexing,
        double percentIndexed,
        long hashIndexingFailures,
        List<String> unmodelled) {

    /** {@code index_definition} entries that only restate a default, or what the definition holds elsewhere. */
    private static final Set<String> KNOWN_DEFINITION_KEYS = Set.of(
            "key_type",
            "prefixes",
            "filter",
            "default_language",
            "language_field",
            "default_score",
            "score_field",
            "payload_field");
    /** FT.INFO's names for a vector field's parameters (RediSearch 2.8 on) and FT.CREATE's words for them. */
    private static final Map<String, String> VECTOR_INFO_KEYS = Map.of(
            "data_type",
            "TYPE",
            "dim",
            "DIM",
            "distance_metric",
            "DISTANCE_METRIC",
            "m",
            "M",
            "ef_construction",
            "EF_CONSTRUCTION",
            "ef_runtime",
            "EF_RUNTIME",
            "epsilon",
            "EPSILON",
            "initial_cap",
            "INITIAL_CAP",
            "block_size",
            "BLOCK_SIZE");

    public LiveIndex {
        unmodelled = List.copyOf(unmodelled);
    }

    /** Done when nothing is left to index: {@code indexing} 0 and {@code percent_indexed} 1. */
    public boolean built() {
        return !indexing && percentIndexed >= 1.0;
    }

    /**
     * Some documents could not be indexed ({@code hash_indexing_failures} above 0): queries through this index miss
     * them. RediSearch (2.6.37's index_error.c) adds up every failure since the index was built and does not lower
     * the count when the documents are fixed later.
     */
    public boolean failedToIndexSome() {
        return hashIndexingFailures > 0;
    }

    /**
     * Reads an FT.INFO reply as RESP2 delivers it: a flat list of names and values, in which
     * {@code index_definition} is such a list again and {@code attributes} a list of them. Doubles come as strings,
     * {@code -nan} included, which is why this is never asked over RESP3.
     */
    public static LiveIndex fromInfoReply(List<?> reply) {
        Map<String, Object> info = pairs(reply);
        Map<String, Object> definition = pairs((List<?>) info.get("index_definition"));
        IndexDefinition.KeyType keyType = SchemaTokens.keyType(text(definition.get("key_type")));
        List<String> prefixes = new ArrayList<>();
        Object listed = definition.get("prefixes");
        if (listed instanceof List<?> values) {
            values.forEach(value -> prefixes.add(text(value)));
        }
        String filter = definition.containsKey("filter") ? text(definition.get("filter")) : null;
        List<String> unmodelled = new ArrayList<>();
        definition.forEach((key, value) -> {
            boolean defaultOnly = key.equals("indexes_all") && "false".equals(text(value));
            if (!KNOWN_DEFINITION_KEYS.contains(key) && !defaultOnly) {
                unmodelled.add("index_definition " + key + " " + value);
            }
        });
        IndexOptions options = options(info, definition, unmodelled);
        List<IndexField> fields = new ArrayList<>();
        for (Object attribute : (List<?>) info.getOrDefault("attributes", List.of())) {
            IndexField field = field((List<?>) attribute, unmodelled);
            // FT.INFO without PHONETIC may come from a RediSearch that does not report it (2.6.37 does not).
            fields.add(
                    field.type() == FieldType.TEXT && field.phonetic() == null
                            ? withPhonetic(field, IndexField.PHONETIC_UNREPORTED)
                            : field);
        }
        return new LiveIndex(
                text(info.get("index_name")),
                new IndexDefinition(keyType, prefixes, filter, options, fields),
                (long) number(info.get("num_docs")),
                number(info.get("indexing")) != 0,
                number(info.get("percent_indexed")),
                (long) number(info.getOrDefault("hash_indexing_failures", 0)),
                unmodelled);
    }

    /**
     * {@code index_options} (NOOFFSETS, NOHL, NOFIELDS, NOFREQS, MAXTEXTFIELDS), the language and score entries of
     * {@code index_definition}, and {@code stopwords_list}, which FT.INFO gives only for an index with its own list.
     */
    private static IndexOptions options(
            Map<String, Object> info, Map<String, Object> definition, List<String> unmodelled) {
        IndexOptions.Builder options = IndexOptions.builder();
        if (info.get("index_options") instanceof List<?> flags) {
            for (Object flag : flags) {
                String word = text(flag).toUpperCase(Locale.ROOT);
                if (IndexOptions.isFlag(word)) {
                    options.set(word, null);
                } else if (!word.isBlank()) {
                    unmodelled.add("index option " + word);
                }
            }
        }
        Map.of(
                        "default_language",
                        "LANGUAGE",
                        "language_field",
                        "LANGUAGE_FIELD",
                        "default_score",
                        "SCORE",
                        "score_field",
                        "SCORE_FIELD",
                        "payload_field",
                        "PAYLOAD_FIELD")
                .forEach((key, word) -> {
                    if (definition.containsKey(key)) {
                        options.set(word, text(definition.get(key)));
                    }
                });
        if (info.get("stopwords_list") instanceof List<?> stopwords) {
            options.stopwords(stopwords.stream().map(LiveIndex::text).toList());
        }
        return options.build();
    }

    /**
     * {@code identifier x attribute y type TAG SEPARATOR | SORTABLE}: three pairs, then FT.CREATE's option words. A
     * VECTOR from RediSearch 2.8 on goes on with lower-case pairs ({@code algorithm FLAT data_type FLOAT32 dim 4});
     * 2.6 stops after the type.
     */
    private static IndexField field(List<?> attribute, List<String> unmodelled) {
        List<String> words = attribute.stream().map(LiveIndex::text).toList();
        String path = null;
        String name = null;
        FieldType type = null;
        int options = 0;
        for (int i = 0; i + 1 < words.size() && type == null; i += 2) {
            switch (words.get(i)) {
                case "identifier" -> path = words.get(i + 1);
                case "attribute" -> name = words.get(i + 1);
                case "type" -> type = SchemaTokens.fieldType(words.get(i + 1), name);
                default -> throw new IllegalArgumentException("unexpected FT.INFO attribute word " + words.get(i));
            }
            options = i + 2;
        }
        String fieldName = name;
        List<String> rest = words.subList(options, words.size());
        if (type == FieldType.VECTOR && rest.stream().anyMatch(word -> word.equalsIgnoreCase("algorithm"))) {
            rest = vectorAsCreateWords(rest, fieldName, unmodelled);
        }
        return SchemaTokens.field(
                path,
                name,
                type,
                rest,
                0,
                rest.size(),
                word -> unmodelled.add("field " + fieldName + " option " + word));
    }

    /** {@code algorithm HNSW data_type FLOAT32 dim 4 M 16} as FT.CREATE writes it: {@code HNSW 6 TYPE FLOAT32 ...}. */
    private static List<String> vectorAsCreateWords(List<String> pairs, String field, List<String> unmodelled) {
        String algorithm = null;
        List<String> attributes = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            String key = pairs.get(i).toLowerCase(Locale.ROOT);
            String value = pairs.get(i + 1);
            if (key.equals("algorithm")) {
                algorithm = value;
            } else if (VECTOR_INFO_KEYS.containsKey(key)) {
                attributes.add(VECTOR_INFO_KEYS.get(key));
                attributes.add(value);
            } else {
                unmodelled.add("field " + field + " vector parameter " + pairs.get(i) + " " + value);
            }
        }
        if (pairs.size() % 2 == 1) {
            others.add(pairs.get(pairs.size() - 1));
        }
        List<String> words = new ArrayList<>();
        if (algorithm != null) {
            words.add(algorithm);
            words.add(Integer.toString(attributes.size()));
            words.addAll(attributes);
        }
        words.addAll(others);
        return words;
    }

    private static IndexField withPhonetic(IndexField field, String phonetic) {
        return new IndexField(
                field.path(),
                field.name(),
                field.type(),
                field.sortable(),
                field.noIndex(),
                field.separator(),
                field.caseSensitive(),
                field.weight(),
                field.noStem(),
                field.vectorAlgorithm(),
                field.vectorAttributes(),
                field.unf(),
                phonetic,
                field.withSuffixTrie(),
                field.indexMissing(),
                field.indexEmpty());
    }

    private static Map<String, Object> pairs(List<?> flat) {
        Map<String, Object> pairs = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            pairs.put(text(flat.get(i)), flat.get(i + 1));
        }
        return pairs;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : Double.parseDouble(text(value));
    }
}
