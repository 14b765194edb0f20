package dev.redisombatch.batch.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads field options and whole schemas written as FT.CREATE tokens. FT.INFO lists a field's options with the same
 * words FT.CREATE takes ({@code SEPARATOR |}, {@code WEIGHT 2}, {@code SORTABLE}...), so one reader serves both the
 * live index and the schema text Redis OM Python keeps in {@code <index>:schema}.
 */
final class SchemaTokens {

    private SchemaTokens() {}

    /** The field whose options are {@code tokens[from..to)}; words this tool does not model are refused. */
    static IndexField field(String path, String name, FieldType type, List<String> tokens, int from, int to) {
        return field(path, name, type, tokens, from, to, word -> {
            throw new IllegalArgumentException("field " + name + ": " + word + " is not an option this tool models");
        });
    }

    /**
     * The field whose options are {@code tokens[from..to)}. Words this tool does not model go to {@code unmodelled},
     * which decides whether they stop the reading or are named in a warning.
     */
    static IndexField field(
            String path,
            String name,
            FieldType type,
            List<String> tokens,
            int from,
            int to,
            Consumer<String> unmodelled) {
        boolean sortable = false;
        boolean noIndex = false;
        boolean caseSensitive = false;
        boolean noStem = false;
        boolean unf = false;
        boolean withSuffixTrie = false;
        boolean indexMissing = false;
        boolean indexEmpty = false;
        String separator = null;
        String phonetic = null;
        double weight = 1.0;
        String algorithm = null;
        Map<String, String> vectorAttributes = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            String word = tokens.get(i).toUpperCase(Locale.ROOT);
            switch (word) {
                case "SORTABLE" -> sortable = true;
                case "UNF" -> unf = true;
                case "NOINDEX" -> noIndex = true;
                case "CASESENSITIVE" -> caseSensitive = true;
                case "NOSTEM" -> noStem = true;
                case "WITHSUFFIXTRIE" -> withSuffixTrie = true;
                case "INDEXMISSING" -> indexMissing = true;
                case "INDEXEMPTY" -> indexEmpty = true;
                case "SEPARATOR" -> separator = valueAfter(tokens, ++i, to, name, word);
                case "PHONETIC" -> phonetic = valueAfter(tokens, ++i, to, name, word);
                case "WEIGHT" -> weight = number(valueAfter(tokens, ++i, to, name, word), name, word);
                default -> {
                    if (type == FieldType.VECTOR && algorithm == null && (word.equals("FLAT") || word.equals("HNSW"))) {
                        algorithm = word;
                        int count = (int) number(valueAfter(tokens, ++i, to, name, word), name, word);
                        for (int pair = 0; pair < count / 2; pair++) {
                            String key = valueAfter(tokens, ++i, to, name, word);
                            vectorAttributes.put(key, valueAfter(tokens, ++i, to, name, key));
                        }
                    } else {
                        unmodelled.accept(tokens.get(i));
                    }
                }
            }
        }
        return new IndexField(
                path,
                name,
                type,
                sortable,
                noIndex,
                separator,
                caseSensitive,
                weight,
                noStem,
                algorithm,
                vectorAttributes,
                unf,
                phonetic,
                withSuffixTrie,
                indexMissing,
                indexEmpty);
    }

    /** Redis OM Python's schema text ({@code ON HASH PREFIX 1 p: SCHEMA a TAG SEPARATOR | ...}), split at spaces as it does. */
    static IndexDefinition parseSchemaText(String text) {
        List<String> tokens = List.of(text.trim().split("\\s+"));
        int i = 0;
        expect(tokens, i++, "ON");
        IndexDefinition.KeyType keyType = keyType(tokens.get(i++));
        List<String> prefixes = new ArrayList<>();
        String filter = null;
        IndexOptions.Builder options = IndexOptions.builder();
        while (i < tokens.size() && !tokens.get(i).equalsIgnoreCase("SCHEMA")) {
            String word = tokens.get(i++).toUpperCase(Locale.ROOT);
            switch (word) {
                case "PREFIX" -> {
                    int count = (int) number(valueAfter(tokens, i++, tokens.size(), word, "count"), word, "count");
                    for (int p = 0; p < count; p++) {
                        prefixes.add(valueAfter(tokens, i++, tokens.size(), word, "prefix"));
                    }
                }
                case "FILTER" -> filter = valueAfter(tokens, i++, tokens.size(), word, "expression");
                case "STOPWORDS" -> {
                    int count = (int) number(valueAfter(tokens, i++, tokens.size(), word, "count"), word, "count");
                    List<String> stopwords = new ArrayList<>();
                    for (int w = 0; w < count; w++) {
                        stopwords.add(valueAfter(tokens, i++, tokens.size(), word, "stopword"));
                    }
                    options.stopwords(stopwords);
                }
                case "TEMPORARY" -> throw new IllegalArgumentException(IndexOptions.TEMPORARY_REFUSED);
                default -> {
                    if (IndexOptions.takesValue(word)) {
                        options.set(word, valueAfter(tokens, i++, tokens.size(), word, "value"));
                    } else if (IndexOptions.isFlag(word)) {
                        options.set(word, null);
                    } else {
                        throw new IllegalArgumentException(word + " is not an FT.CREATE option this tool models");
                    }
                }
            }
        }
        expect(tokens, i++, "SCHEMA");
        List<IndexField> fields = new ArrayList<>();
        while (i < tokens.size()) {
            String path = tokens.get(i++);
            String name = path;
            if (i < tokens.size() && tokens.get(i).equalsIgnoreCase("AS")) {
                name = valueAfter(tokens, i + 1, tokens.size(), path, "AS");
                i += 2;
            }
            FieldType type = fieldType(valueAfter(tokens, i++, tokens.size(), name, "type"), name);
            int end = i;
            while (end < tokens.size() && !startsField(tokens, end)) {
                end++;
            }
            fields.add(field(path, name, type, tokens, i, end));
            i = end;
        }
        return new IndexDefinition(keyType, prefixes, filter, options.build(), fields);
    }

    static FieldType fieldType(String word, String field) {
        try {
            return FieldType.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "field " + field + ": unknown type " + word + " (expected TEXT, TAG, NUMERIC, GEO or VECTOR)");
        }
    }

    static IndexDefinition.KeyType keyType(String word) {
        try {
            return IndexDefinition.KeyType.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown key type " + word + " (expected HASH or JSON)");
        }
    }

    /**
     * Whether a new field starts at {@code index}: the token after it is a type or {@code AS}, and it is not the value
     * of SEPARATOR or WEIGHT.
     */
    private static boolean startsField(List<String> tokens, int index) {
        if (index > 0 && valueTaking(tokens.get(index - 1))) {
            return false;
        }
        if (index + 1 >= tokens.size()) {
            return false;
        }
        String next = tokens.get(index + 1).toUpperCase(Locale.ROOT);
        boolean isType =
                Arrays.stream(FieldType.values()).anyMatch(type -> type.name().equals(next));
        return isType || next.equals("AS");
    }

    private static boolean valueTaking(String word) {
        String upper = word.toUpperCase(Locale.ROOT);
        return upper.equals("SEPARATOR") || upper.equals("WEIGHT") || upper.equals("PHONETIC");
    }

    private static void expect(List<String> tokens, int index, String word) {
        if (index >= tokens.size() || !tokens.get(index).equalsIgnoreCase(word)) {
            throw new IllegalArgumentException("expected " + word + " at word " + (index + 1) + " of the schema text");
        }
    }

    private static String valueAfter(List<String> tokens, int index, int end, String field, String option) {
        if (index >= end) {
            throw new IllegalArgumentException(field + ": " + option + " needs a value");
        }
        return tokens.get(index);
    }

    private static double number(String value, String field, String option) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": " + option + " " + value + " is not a number");
        }
    }
}
