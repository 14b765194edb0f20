package dev.redisombatch.batch.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes schema migration files as {@link SchemaFiles} reads them, for {@code create}. */
final class SchemaFileWriter {

    private SchemaFileWriter() {}

    /** The file {@code create} writes: the format {@link SchemaFiles} reads, with every string quoted. */
    static String render(SchemaMigrationFile migration) {
        StringBuilder text = new StringBuilder();
        text.append("# Written by redis-om-batch --job=migrateSchema --command=create; review it, then commit it.\n");
        text.append("id: ").append(quote(migration.id())).append('\n');
        text.append("description: ").append(quote(migration.description())).append('\n');
        text.append("index: ").append(quote(migration.index())).append('\n');
        migration
                .mode()
                .ifPresent(mode -> text.append("mode: ").append(mode.cliName()).append('\n'));
        if (!migration.after().isEmpty()) {
            text.append("after: [")
                    .append(String.join(
                            ", ",
                            migration.after().stream()
                                    .map(SchemaFileWriter::quote)
                                    .toList()))
                    .append("]\n");
        }
        if (migration.previous() == null) {
            text.append("previous: null   # the index does not exist yet\n");
        } else {
            renderDefinition(text, "previous", migration.previous());
        }
        renderDefinition(text, "new", migration.next());
        return text.toString();
    }

    private static void renderDefinition(StringBuilder text, String key, IndexDefinition definition) {
        text.append(key).append(":\n");
        text.append("  on: ").append(definition.keyType()).append('\n');
        text.append("  prefixes: [")
                .append(String.join(
                        ", ",
                        definition.prefixes().stream()
                                .map(SchemaFileWriter::quote)
                                .toList()))
                .append("]\n");
        if (definition.filter() != null) {
            text.append("  filter: ").append(quote(definition.filter())).append('\n');
        }
        renderOptions(text, definition.options());
        text.append("  fields:\n");
        for (IndexField field : definition.fields()) {
            List<String> parts = new ArrayList<>();
            parts.add("name: " + quote(field.name()));
            if (!field.path().equals(field.name())) {
                parts.add("path: " + quote(field.path()));
            }
            parts.add("type: " + field.type());
            if (field.sortable()) {
                parts.add("sortable: true");
            }
            if (field.noIndex()) {
                parts.add("no_index: true");
            }
            if (field.type() == FieldType.TAG) {
                parts.add("separator: " + quote(field.separator()));
            }
            if (field.caseSensitive()) {
                parts.add("case_sensitive: true");
            }
            if (field.weight() != 1.0) {
                parts.add("weight: " + IndexField.formatWeight(field.weight()));
            }
            if (field.noStem()) {
                parts.add("no_stem: true");
            }
            if (field.phonetic() != null && !field.phonetic().equals(IndexField.PHONETIC_UNREPORTED)) {
                parts.add("phonetic: " + quote(field.phonetic()));
            }
            addFlag(parts, "unf", field.unf());
            addFlag(parts, "with_suffix_trie", field.withSuffixTrie());
            addFlag(parts, "index_missing", field.indexMissing());
            addFlag(parts, "index_empty", field.indexEmpty());
            if (field.vectorAlgorithm() != null) {
                parts.add("algorithm: " + field.vectorAlgorithm());
                parts.add("attributes: {"
                        + String.join(
                                ", ",
                                field.vectorAttributes().entrySet().stream()
                                        .sorted(Map.Entry.comparingByKey())
                                        .map(entry -> entry.getKey() + ": " + quote(entry.getValue()))
                                        .toList())
                        + "}");
            }
            text.append("    - {").append(String.join(", ", parts)).append("}\n");
        }
    }

    private static void renderOptions(StringBuilder text, IndexOptions options) {
        List<String> lines = new ArrayList<>();
        if (options.language() != null) {
            lines.add("language: " + quote(options.language()));
        }
        if (options.languageField() != null) {
            lines.add("language_field: " + quote(options.languageField()));
        }
        if (options.score() != 1.0) {
            lines.add("score: " + IndexField.formatWeight(options.score()));
        }
        if (options.scoreField() != null) {
            lines.add("score_field: " + quote(options.scoreField()));
        }
        if (options.payloadField() != null) {
            lines.add("payload_field: " + quote(options.payloadField()));
        }
        addFlag(lines, "max_text_fields", options.maxTextFields());
        addFlag(lines, "no_offsets", options.noOffsets());
        addFlag(lines, "no_highlight", options.noHighlight() && !options.noOffsets());
        addFlag(lines, "no_fields", options.noFields());
        addFlag(lines, "no_freqs", options.noFreqs());
        if (options.stopwords() != null) {
            lines.add("stopwords: ["
                    + String.join(
                            ", ",
                            options.stopwords().stream()
                                    .map(SchemaFileWriter::quote)
                                    .toList()) + "]");
        }
        lines.forEach(line -> text.append("  ").append(line).append('\n'));
    }

    private static void addFlag(List<String> parts, String key, boolean on) {
        if (on) {
            parts.add(key + ": true");
        }
    }

    /** A YAML double-quoted scalar: safe for any text, including ':' '|' '#' and quotes. */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
