package dev.redisombatch.batch.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One field of an index, normalized so that two fields that mean the same compare equal: the path defaults to the
 * name, a TAG's separator to {@code ","}, a TEXT's weight to 1, and options a type does not have are cleared.
 *
 * @param path where the value is read: the hash field, or a JSONPath for JSON documents
 * @param name the attribute queries use ({@code @name})
 * @param vectorAlgorithm FLAT or HNSW, VECTOR only; {@code null} when unknown (RediSearch 2.6's FT.INFO does not
 *     report a vector field's parameters), and then the parameters are left out of comparisons
 * @param vectorAttributes TYPE, DIM, DISTANCE_METRIC and the algorithm's tuning attributes, VECTOR only, upper case
 * @param unf SORTABLE UNF: sort by the value as written, not lower-cased; TEXT and TAG only (a number is never
 *     normalized, so NUMERIC's UNF changes nothing and is cleared)
 * @param phonetic PHONETIC's matcher ({@code dm:en}), TEXT only; {@link #PHONETIC_UNREPORTED} when read from an FT.INFO
 *     that does not list it (RediSearch 2.6.37 does not), and then left out of comparisons
 * @param withSuffixTrie WITHSUFFIXTRIE, TEXT and TAG only
 * @param indexMissing INDEXMISSING (RediSearch 2.10+): documents without the field can be found with
 *     {@code ismissing(@name)}
 * @param indexEmpty INDEXEMPTY (RediSearch 2.10+), TEXT and TAG only: an empty value is indexed
 */
public record IndexField(
        String path,
        String name,
        FieldType type,
        boolean sortable,
        boolean noIndex,
        String separator,
        boolean caseSensitive,
        double weight,
        boolean noStem,
        String vectorAlgorithm,
        Map<String, String> vectorAttributes,
        boolean unf,
        String phonetic,
        boolean withSuffixTrie,
        boolean indexMissing,
        boolean indexEmpty) {

    public static final String DEFAULT_SEPARATOR = ",";
    /** Stands for "FT.INFO did not say": a TEXT field read from a server that does not report PHONETIC. */
    public static final String PHONETIC_UNREPORTED = "(not reported by FT.INFO)";

    private static final Set<FieldType> TEXTUAL = Set.of(FieldType.TEXT, FieldType.TAG);

    public IndexField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        path = path == null ? name : path;
        separator = type == FieldType.TAG ? (separator == null ? DEFAULT_SEPARATOR : separator) : null;
        caseSensitive = type == FieldType.TAG && caseSensitive;
        weight = type == FieldType.TEXT ? weight : 1.0;
        noStem = type == FieldType.TEXT && noStem;
        vectorAlgorithm =
                type == FieldType.VECTOR && vectorAlgorithm != null ? vectorAlgorithm.toUpperCase(Locale.ROOT) : null;
        Map<String, String> attributes = new LinkedHashMap<>();
        if (type == FieldType.VECTOR) {
            vectorAttributes.forEach((key, value) -> attributes.put(key.toUpperCase(Locale.ROOT), value));
        }
        vectorAttributes = Map.copyOf(attributes);
        unf = sortable && TEXTUAL.contains(type) && unf;
        phonetic = type == FieldType.TEXT && phonetic != null && !phonetic.isBlank() ? phonetic : null;
        withSuffixTrie = TEXTUAL.contains(type) && withSuffixTrie;
        indexEmpty = TEXTUAL.contains(type) && indexEmpty;
    }

    /** The fields this tool had before UNF, PHONETIC, WITHSUFFIXTRIE, INDEXMISSING and INDEXEMPTY: those off. */
    public IndexField(
            String path,
            String name,
            FieldType type,
            boolean sortable,
            boolean noIndex,
            String separator,
            boolean caseSensitive,
            double weight,
            boolean noStem,
            String vectorAlgorithm,
            Map<String, String> vectorAttributes) {
        this(
                path,
                name,
                type,
                sortable,
                noIndex,
                separator,
                caseSensitive,
                weight,
                noStem,
                vectorAlgorithm,
                vectorAttributes,
                false,
                null,
                false,
                false,
                false);
    }

    /** A field with only a name and a type; the rest default. */
    public static IndexField of(String name, FieldType type) {
        return new IndexField(null, name, type, false, false, null, false, 1.0, false, null, Map.of());
    }

    /** Whether FT.CREATE can be written for it (a VECTOR read from FT.INFO lacks its parameters). */
    public boolean complete() {
        return type != FieldType.VECTOR || vectorAlgorithm != null;
    }

    /** Whether it uses an option RediSearch accepts only from 2.10 on. */
    public boolean needsSearch210() {
        return indexMissing || indexEmpty;
    }

    /**
     * The field's part of FT.CREATE's SCHEMA. Redis OM Python's order for the options it writes; the type's own
     * options first, then INDEXEMPTY and INDEXMISSING, which RediSearch takes only before SORTABLE, then SORTABLE
     * [UNF] and NOINDEX. RediSearch 2.6.37 refuses CASESENSITIVE after SORTABLE, so it follows SEPARATOR.
     */
    List<String> schemaTokens() {
        List<String> tokens = new ArrayList<>();
        tokens.add(path);
        if (!path.equals(name)) {
            tokens.add("AS");
            tokens.add(name);
        }
        tokens.add(type.name());
        switch (type) {
            case TAG -> {
                tokens.add("SEPARATOR");
                tokens.add(separator);
                if (caseSensitive) {
                    tokens.add("CASESENSITIVE");
                }
            }
            case TEXT -> {
                if (weight != 1.0) {
                    tokens.add("WEIGHT");
                    tokens.add(formatWeight(weight));
                }
                if (noStem) {
                    tokens.add("NOSTEM");
                }
                // Only a definition read from FT.INFO can hold PHONETIC_UNREPORTED; its text (a migration's
                // checksum of "previous") leaves it out, and the replacement's warning names it.
                if (phonetic != null && !phonetic.equals(PHONETIC_UNREPORTED)) {
                    tokens.add("PHONETIC");
                    tokens.add(phonetic);
                }
            }
            case VECTOR -> {
                if (vectorAlgorithm == null) {
                    throw new IllegalStateException("field " + name + ": the VECTOR parameters are unknown");
                }
                tokens.add(vectorAlgorithm);
                tokens.add(Integer.toString(vectorAttributes.size() * 2));
                for (String key : vectorAttributeOrder()) {
                    tokens.add(key);
                    tokens.add(vectorAttributes.get(key));
                }
            }
            default -> {}
        }
        if (withSuffixTrie) {
            tokens.add("WITHSUFFIXTRIE");
        }
        if (indexEmpty) {
            tokens.add("INDEXEMPTY");
        }
        if (indexMissing) {
            tokens.add("INDEXMISSING");
        }
        if (sortable) {
            tokens.add("SORTABLE");
            if (unf) {
                tokens.add("UNF");
            }
        }
        if (noIndex) {
            tokens.add("NOINDEX");
        }
        return tokens;
    }

    /** TYPE, DIM, DISTANCE_METRIC first, as Redis OM Python writes them, then the rest by name: one text per field. */
    private List<String> vectorAttributeOrder() {
        List<String> leading = List.of("TYPE", "DIM", "DISTANCE_METRIC");
        List<String> order = new ArrayList<>(
                leading.stream().filter(vectorAttributes::containsKey).toList());
        vectorAttributes.keySet().stream()
                .filter(key -> !leading.contains(key))
                .sorted()
                .forEach(order::add);
        return order;
    }

    static String formatWeight(double weight) {
        return weight == Math.rint(weight) ? Long.toString((long) weight) : Double.toString(weight);
    }

    /** What differs from {@code other}, field by field, for humans; empty when equal. */
    List<String> differencesFrom(IndexField other) {
        List<String> differences = new ArrayList<>();
        compare(differences, "path", other.path, path);
        compare(differences, "type", other.type, type);
        compare(differences, "sortable", other.sortable, sortable);
        compare(differences, "unf", other.unf, unf);
        compare(differences, "no_index", other.noIndex, noIndex);
        compare(differences, "separator", other.separator, separator);
        compare(differences, "case_sensitive", other.caseSensitive, caseSensitive);
        compare(differences, "weight", other.weight, weight);
        compare(differences, "no_stem", other.noStem, noStem);
        if (!PHONETIC_UNREPORTED.equals(phonetic) && !PHONETIC_UNREPORTED.equals(other.phonetic)) {
            compare(differences, "phonetic", other.phonetic, phonetic);
        }
        compare(differences, "with_suffix_trie", other.withSuffixTrie, withSuffixTrie);
        compare(differences, "index_missing", other.indexMissing, indexMissing);
        compare(differences, "index_empty", other.indexEmpty, indexEmpty);
        if (vectorAlgorithm != null && other.vectorAlgorithm != null) {
            compare(differences, "algorithm", other.vectorAlgorithm, vectorAlgorithm);
            compare(differences, "attributes", other.vectorAttributes, vectorAttributes);
        }
        return differences;
    }

    private static void compare(List<String> differences, String what, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            differences.add(what + " " + before + " -> " + after);
        }
    }
}
