package dev.redisombatch.batch.schema;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the migrations root: {@code schema-migrations/*.yaml} (the migrations, applied in id order) and
 * {@code models/*.yaml} (the definitions indexes should have, in this tool's format or as RedisVL schemas).
 * docs/schema-migrations.md shows the formats.
 */
public final class SchemaFiles {

    public static final String MIGRATIONS_FOLDER = "schema-migrations";
    public static final String MODELS_FOLDER = "models";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Set<String> MIGRATION_KEYS =
            Set.of("id", "description", "index", "mode", "after", "previous", "new");
    private static final Set<String> MODEL_KEYS = Set.of("index", "mode", "definition");
    /** Index option keys of a definition and the FT.CREATE words they stand for. */
    private static final Map<String, String> OPTION_KEYS = Map.of(
            "language",
            "LANGUAGE",
            "language_field",
            "LANGUAGE_FIELD",
            "score",
            "SCORE",
            "score_field",
            "SCORE_FIELD",
            "payload_field",
            "PAYLOAD_FIELD");

    private static final Map<String, String> OPTION_FLAGS = Map.of(
            "max_text_fields",
            "MAXTEXTFIELDS",
            "no_offsets",
            "NOOFFSETS",
            "no_highlight",
            "NOHL",
            "no_fields",
            "NOFIELDS",
            "no_freqs",
            "NOFREQS");
    private static final Set<String> DEFINITION_KEYS = keys(
            Set.of("on", "prefixes", "filter", "fields", "stopwords", "temporary"),
            OPTION_KEYS.keySet(),
            OPTION_FLAGS.keySet());
    private static final Set<String> FIELD_KEYS = Set.of(
            "name",
            "path",
            "type",
            "sortable",
            "no_index",
            "separator",
            "case_sensitive",
            "weight",
            "no_stem",
            "algorithm",
            "attributes",
            "unf",
            "phonetic",
            "with_suffix_trie",
            "index_missing",
            "index_empty");

    private SchemaFiles() {}

    @SafeVarargs
    private static Set<String> keys(Set<String>... groups) {
        Set<String> all = new HashSet<>();
        for (Set<String> group : groups) {
            all.addAll(group);
        }
        return Set.copyOf(all);
    }

    /** Every migration under {@code root}, in id order; none when the folder does not exist. */
    public static List<SchemaMigrationFile> migrations(Path root) {
        List<SchemaMigrationFile> migrations = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path file : yamlFiles(root.resolve(MIGRATIONS_FOLDER))) {
            SchemaMigrationFile migration = readMigration(file);
            Path other = seen.put(migration.id(), file);
            if (other != null) {
                throw new SchemaFileException(file, 0, "id " + migration.id() + " is also the id of " + other);
            }
            migrations.add(migration);
        }
        migrations.sort(Comparator.comparing(SchemaMigrationFile::id));
        return migrations;
    }

    public static List<IndexModel> models(Path root) {
        List<IndexModel> models = new ArrayList<>();
        for (Path file : yamlFiles(root.resolve(MODELS_FOLDER))) {
            YamlMapping yaml = load(file);
            if (RedisVlSchema.isOne(yaml)) {
                models.add(RedisVlSchema.read(yaml, file));
                continue;
            }
            yaml.onlyKeys(MODEL_KEYS);
            models.add(new IndexModel(yaml.string("index"), definition(yaml, "definition"), mode(yaml), file));
        }
        return models;
    }

    static SchemaMigrationFile readMigration(Path file) {
        YamlMapping yaml = load(file).onlyKeys(MIGRATION_KEYS);
        String id = yaml.string("id");
        String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (!ID.matcher(id).matches()) {
            throw yaml.problemAt("id", "id " + id + " may hold only letters, digits, '_', '.' and '-'");
        }
        if (!id.equals(stem)) {
            throw yaml.problemAt(
                    "id", "id " + id + " differs from the file name " + stem + "; name the file after the id");
        }
        List<String> after = yaml.oneOrList("after");
        for (String dataMigration : after) {
            if (dataMigration.isBlank()) {
                throw yaml.problemAt("after", "after: a data migration id may not be blank");
            }
        }
        IndexDefinition previous = yaml.has("previous") ? definition(yaml, "previous") : null;
        return new SchemaMigrationFile(
                id,
                yaml.string("description", ""),
                yaml.string("index"),
                mode(yaml),
                after,
                after.isEmpty() ? 0 : yaml.line("after"),
                previous,
                definition(yaml, "new"),
                file);
    }

    private static Optional<ReplaceMode> mode(YamlMapping yaml) {
        if (!yaml.has("mode")) {
            return Optional.empty();
        }
        String name = yaml.string("mode");
        return Optional.of(ReplaceMode.of(name)
                .orElseThrow(() -> yaml.problemAt("mode", "mode " + name + ": expected recreate or zero-downtime")));
    }

    private static IndexDefinition definition(YamlMapping parent, String key) {
        YamlMapping yaml = parent.mapping(key);
        if (yaml == null) {
            throw parent.problemAt(key, "missing " + key + " (the index definition)");
        }
        yaml.onlyKeys(DEFINITION_KEYS);
        IndexDefinition.KeyType keyType;
        try {
            keyType = SchemaTokens.keyType(yaml.string("on"));
        } catch (IllegalArgumentException e) {
            throw yaml.problemAt("on", e.getMessage());
        }
        List<IndexField> fields = new ArrayList<>();
        for (YamlMapping field : yaml.mappingList("fields")) {
            fields.add(field(field.onlyKeys(FIELD_KEYS), keyType));
        }
        if (fields.isEmpty()) {
            throw yaml.problemAt("fields", key + ": an index needs at least one field");
        }
        Set<String> names = new HashSet<>();
        for (IndexField field : fields) {
            if (!names.add(field.name())) {
                throw yaml.problemAt("fields", key + ": two fields are named " + field.name());
            }
        }
        return new IndexDefinition(
                keyType, yaml.stringList("prefixes"), yaml.string("filter", null), options(yaml), fields);
    }

    private static IndexOptions options(YamlMapping yaml) {
        if (yaml.has("temporary")) {
            throw yaml.problemAt("temporary", "temporary: " + IndexOptions.TEMPORARY_REFUSED);
        }
        IndexOptions.Builder options = IndexOptions.builder();
        OPTION_KEYS.forEach((key, word) -> {
            if (yaml.has(key)) {
                try {
                    options.set(word, yaml.string(key));
                } catch (IllegalArgumentException e) {
                    throw yaml.problemAt(key, key + ": " + e.getMessage());
                }
            }
        });
        OPTION_FLAGS.forEach((key, word) -> {
            if (yaml.flag(key)) {
                options.set(word, null);
            }
        });
        if (yaml.has("stopwords")) {
            options.stopwords(yaml.stringList("stopwords"));
        }
        return options.build();
    }

    private static IndexField field(YamlMapping yaml, IndexDefinition.KeyType keyType) {
        String name = yaml.string("name");
        FieldType type;
        try {
            type = SchemaTokens.fieldType(yaml.string("type"), name);
        } catch (IllegalArgumentException e) {
            throw yaml.problemAt("type", e.getMessage());
        }
        if (keyType == IndexDefinition.KeyType.JSON && !yaml.has("path")) {
            throw yaml.problemAt("name", "field " + name + ": a JSON index needs a path, e.g. path: $." + name);
        }
        if (type == FieldType.VECTOR && !yaml.has("algorithm")) {
            throw yaml.problemAt("name", "field " + name + ": a VECTOR needs algorithm (FLAT or HNSW) and attributes");
        }
        String algorithm = yaml.string("algorithm", null);
        if (algorithm != null && !algorithm.equalsIgnoreCase("FLAT") && !algorithm.equalsIgnoreCase("HNSW")) {
            throw yaml.problemAt("algorithm", "field " + name + ": algorithm " + algorithm + ", expected FLAT or HNSW");
        }
        return new IndexField(
                yaml.string("path", null),
                name,
                type,
                yaml.flag("sortable"),
                yaml.flag("no_index"),
                yaml.string("separator", null),
                yaml.flag("case_sensitive"),
                yaml.number("weight", 1.0),
                yaml.flag("no_stem"),
                algorithm,
                yaml.strings("attributes"),
                yaml.flag("unf"),
                yaml.string("phonetic", null),
                yaml.flag("with_suffix_trie"),
                yaml.flag("index_missing"),
                yaml.flag("index_empty"));
    }

    static YamlMapping load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Node root = new Yaml(new LoaderOptions()).compose(reader);
            if (root == null) {
                throw new SchemaFileException(file, 0, "the file is empty");
            }
            return new YamlMapping(file, root, "the file");
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new SchemaFileException(file, line, "not valid YAML: " + e.getProblem());
        } catch (IOException e) {
            throw new SchemaFileException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    static List<Path> yamlFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().matches(".+\\.ya?ml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SchemaFileException(folder, 0, "cannot list: " + e.getMessage());
        }
    }
}
