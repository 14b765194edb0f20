package dev.redisombatch.batch.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An index as FT.INFO describes it. Asked by alias, FT.INFO answers for the index the alias points at, whose name is
 * {@link #name}.
 *
 * @param indexing whether RediSearch is still indexing the documents that existed when the index was created
 * @param percentIndexed 0 to 1
 * @param hashIndexingFailures documents the index could not read, e.g. an ISO date in a NUMERIC field
 */
public record LiveIndex(String name, IndexDefinition definition, long numDocs, boolean indexing,
        double percentIndexed, long hashIndexingFailures) {

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
        List<IndexField> fields = new ArrayList<>();
        for (Object attribute : (List<?>) info.getOrDefault("attributes", List.of())) {
            fields.add(field((List<?>) attribute));
        }
        return new LiveIndex(text(info.get("index_name")), new IndexDefinition(keyType, prefixes, filter, fields),
                (long) number(info.get("num_docs")), number(info.get("indexing")) != 0,
                number(info.get("percent_indexed")), (long) number(info.getOrDefault("hash_indexing_failures", 0)));
    }

    /** {@code identifier x attribute y type TAG SEPARATOR | SORTABLE}: three pairs, then FT.CREATE's option words. */
    private static IndexField field(List<?> attribute) {
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
        return SchemaTokens.field(path, name, type, words, options, words.size());
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
