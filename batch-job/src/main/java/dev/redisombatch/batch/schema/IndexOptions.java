package dev.redisombatch.batch.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The index-wide options of FT.CREATE between the key rule and SCHEMA, normalized as FT.INFO reports them, so that two
 * that mean the same compare equal: the language lower case and {@code null} for RediSearch's default (english), the
 * score 1 by default, NOHL set whenever NOOFFSETS is (RediSearch implies it and FT.INFO lists it), and stopwords lower
 * case and sorted (FT.INFO lists them so, verified on 2.6.37).
 *
 * @param stopwords {@code null} for RediSearch's default list; empty for {@code STOPWORDS 0} (none)
 */
public record IndexOptions(
        String language,
        String languageField,
        double score,
        String scoreField,
        String payloadField,
        boolean maxTextFields,
        boolean noOffsets,
        boolean noHighlight,
        boolean noFields,
        boolean noFreqs,
        List<String> stopwords) {

    public static final IndexOptions DEFAULTS = builder().build();
    static final String TEMPORARY_REFUSED = "TEMPORARY indexes drop themselves when unused, which a migration tool"
            + " cannot keep in step; create them in the application instead";
    private static final Set<String> VALUE_OPTIONS =
            Set.of("LANGUAGE", "LANGUAGE_FIELD", "SCORE", "SCORE_FIELD", "PAYLOAD_FIELD");
    private static final Set<String> FLAG_OPTIONS = Set.of("MAXTEXTFIELDS", "NOOFFSETS", "NOHL", "NOFIELDS", "NOFREQS");

    public IndexOptions {
        language = language == null || language.isBlank() || language.equalsIgnoreCase("english")
                ? null
                : language.toLowerCase(Locale.ROOT);
        languageField = blankToNull(languageField);
        scoreField = blankToNull(scoreField);
        payloadField = blankToNull(payloadField);
        noHighlight = noHighlight || noOffsets;
        stopwords = stopwords == null
                ? null
                : stopwords.stream()
                        .map(word -> word.toLowerCase(Locale.ROOT))
                        .distinct()
                        .sorted()
                        .toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    static boolean takesValue(String word) {
        return VALUE_OPTIONS.contains(word);
    }

    static boolean isFlag(String word) {
        return FLAG_OPTIONS.contains(word);
    }

    /** The options' part of FT.CREATE, in the order of RediSearch's FT.CREATE syntax; nothing for the defaults. */
    List<String> tokens() {
        List<String> tokens = new ArrayList<>();
        addValue(tokens, "LANGUAGE", language);
        addValue(tokens, "LANGUAGE_FIELD", languageField);
        addValue(tokens, "SCORE", score == 1.0 ? null : IndexField.formatWeight(score));
        addValue(tokens, "SCORE_FIELD", scoreField);
        addValue(tokens, "PAYLOAD_FIELD", payloadField);
        addFlag(tokens, "MAXTEXTFIELDS", maxTextFields);
        addFlag(tokens, "NOOFFSETS", noOffsets);
        addFlag(tokens, "NOHL", noHighlight && !noOffsets);
        addFlag(tokens, "NOFIELDS", noFields);
        addFlag(tokens, "NOFREQS", noFreqs);
        if (stopwords != null) {
            tokens.add("STOPWORDS");
            tokens.add(Integer.toString(stopwords.size()));
            tokens.addAll(stopwords);
        }
        return tokens;
    }

    /** What changes going from {@code before} to these options, one line each, named as in definition files. */
    List<String> differencesFrom(IndexOptions before) {
        List<String> differences = new ArrayList<>();
        compare(differences, "language", before.language, language);
        compare(differences, "language_field", before.languageField, languageField);
        compare(differences, "score", before.score, score);
        compare(differences, "score_field", before.scoreField, scoreField);
        compare(differences, "payload_field", before.payloadField, payloadField);
        compare(differences, "max_text_fields", before.maxTextFields, maxTextFields);
        compare(differences, "no_offsets", before.noOffsets, noOffsets);
        compare(differences, "no_highlight", before.noHighlight, noHighlight);
        compare(differences, "no_fields", before.noFields, noFields);
        compare(differences, "no_freqs", before.noFreqs, noFreqs);
        compare(differences, "stopwords", before.stopwords, stopwords);
        return differences;
    }

    private static void compare(List<String> differences, String what, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            differences.add(what + " " + before + " -> " + after);
        }
    }

    private static void addValue(List<String> tokens, String option, String value) {
        if (value != null) {
            tokens.add(option);
            tokens.add(value);
        }
    }

    private static void addFlag(List<String> tokens, String option, boolean on) {
        if (on) {
            tokens.add(option);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Collects options one FT.CREATE word (or definition file key) at a time. */
    public static final class Builder {
        private String language;
        private String languageField;
        private double score = 1.0;
        private String scoreField;
        private String payloadField;
        private boolean maxTextFields;
        private boolean noOffsets;
        private boolean noHighlight;
        private boolean noFields;
        private boolean noFreqs;
        private List<String> stopwords;

        /**
         * One option by its FT.CREATE word; {@code value} is ignored for flags.
         *
         * @throws IllegalArgumentException for a word that is no such option, or a SCORE that is no number
         */
        public Builder set(String word, String value) {
            switch (word.toUpperCase(Locale.ROOT)) {
                case "LANGUAGE" -> language = value;
                case "LANGUAGE_FIELD" -> languageField = value;
                case "SCORE" -> score = score(value);
                case "SCORE_FIELD" -> scoreField = value;
                case "PAYLOAD_FIELD" -> payloadField = value;
                case "MAXTEXTFIELDS" -> maxTextFields = true;
                case "NOOFFSETS" -> noOffsets = true;
                case "NOHL" -> noHighlight = true;
                case "NOFIELDS" -> noFields = true;
                case "NOFREQS" -> noFreqs = true;
                default -> throw new IllegalArgumentException(word + " is not an index option");
            }
            return this;
        }

        public Builder stopwords(List<String> words) {
            stopwords = words == null ? null : List.copyOf(words);
            return this;
        }

        public IndexOptions build() {
            return new IndexOptions(
                    language,
                    languageField,
                    score,
                    scoreField,
                    payloadField,
                    maxTextFields,
                    noOffsets,
                    noHighlight,
                    noFields,
                    noFreqs,
                    stopwords);
        }

        private static double score(String value) {
            try {
                double score = Double.parseDouble(value);
                if (score < 0 || score > 1) {
                    throw new IllegalArgumentException("SCORE " + value + ": expected a number from 0 to 1");
                }
                return score;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SCORE " + value + " is not a number");
            }
        }
    }
}
