package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaFilesTest {

    @TempDir
    Path root;

    private static final String USERS_V2 = """
            id: 20261126_120000_add_nickname
            description: Nickname becomes searchable
            index: ":app.models.User:index"
            mode: zero-downtime
            previous:
              on: HASH
              prefixes: [":app.models.User:"]
              fields:
                - {name: pk, type: TAG, separator: "|"}
                - {name: name, type: TAG, separator: "|"}
                - {name: email, type: TAG, separator: "|"}
                - {name: created_at, type: NUMERIC, sortable: true}
                - {name: age, type: NUMERIC}
            new:
              on: HASH
              prefixes: [":app.models.User:"]
              fields:
                - {name: pk, type: TAG, separator: "|"}
                - {name: name, type: TAG, separator: "|"}
                - {name: email, type: TAG, separator: "|"}
                - {name: created_at, type: NUMERIC, sortable: true}
                - {name: age, type: NUMERIC}
                - name: nickname
                  type: TEXT
                  weight: 2
                  sortable: true
            """;

    private Path write(String name, String text) throws IOException {
        Path folder = Files.createDirectories(root.resolve(SchemaFiles.MIGRATIONS_FOLDER));
        return Files.writeString(folder.resolve(name), text);
    }

    @Test
    void readsAMigrationFile() throws IOException {
        write("20261126_120000_add_nickname.yaml", USERS_V2);

        SchemaMigrationFile migration = SchemaFiles.migrations(root).get(0);

        assertThat(migration.id()).isEqualTo("20261126_120000_add_nickname");
        assertThat(migration.index()).isEqualTo(":app.models.User:index");
        assertThat(migration.mode()).contains(ReplaceMode.ZERO_DOWNTIME);
        assertThat(migration.previous()).isEqualTo(LiveIndexTest.RECORDED_USERS);
        assertThat(migration.next().fields())
                .last()
                .isEqualTo(new IndexField(
                        null, "nickname", FieldType.TEXT, true, false, null, false, 2, false, null, Map.of()));
    }

    @Test
    void migrationsComeInIdOrderAndNoFolderMeansNone() throws IOException {
        assertThat(SchemaFiles.migrations(root)).isEmpty();
        write("20261126_120000_add_nickname.yaml", USERS_V2);
        write("20250101_000000_first.yml", USERS_V2.replace("20261126_120000_add_nickname", "20250101_000000_first"));

        assertThat(SchemaFiles.migrations(root))
                .extracting(SchemaMigrationFile::id)
                .containsExactly("20250101_000000_first", "20261126_120000_add_nickname");
    }

    @Test
    void whatCreateWritesReadsBackTheSame() throws IOException {
        SchemaMigrationFile original = SchemaFiles.readMigration(write("20261126_120000_add_nickname.yaml", USERS_V2));
        IndexDefinition awkward = new IndexDefinition(
                IndexDefinition.KeyType.JSON,
                List.of("it's \"quoted\": #1"),
                "@age > 1",
                List.of(
                        new IndexField(
                                "$.tags[*]", "tags", FieldType.TAG, false, true, "\\", true, 1, false, null, Map.of()),
                        new IndexField(
                                "$.v",
                                "v",
                                FieldType.VECTOR,
                                false,
                                false,
                                null,
                                false,
                                1,
                                false,
                                "FLAT",
                                Map.of("TYPE", "FLOAT32", "DIM", "8", "DISTANCE_METRIC", "L2"))));
        SchemaMigrationFile created = new SchemaMigrationFile(
                "20261126_130000_json",
                "a: b # not a comment",
                "idx:with spaces",
                Optional.empty(),
                List.of("001_datetime_fields_to_timestamps", "a: b"),
                0,
                null,
                awkward,
                root.resolve("x"));

        for (SchemaMigrationFile migration : List.of(original, created)) {
            Path file = write(migration.id() + ".yaml", SchemaFileWriter.render(migration));
            SchemaMigrationFile read = SchemaFiles.readMigration(file);
            assertThat(read)
                    .usingRecursiveComparison()
                    .ignoringFields("source", "afterLine")
                    .isEqualTo(migration);
            assertThat(read.checksum()).isEqualTo(migration.checksum());
        }
    }

    @Test
    void theChecksumFollowsTheDefinitionsNotTheLayout() throws IOException {
        String checksum = SchemaFiles.readMigration(write("20261126_120000_add_nickname.yaml", USERS_V2))
                .checksum();
        String relaidOut = "# a comment\n"
                + USERS_V2.replace("description: Nickname becomes searchable", "description: other words");
        String edited = USERS_V2.replace("weight: 2", "weight: 3");

        assertThat(SchemaFiles.readMigration(write("20261126_120000_add_nickname.yaml", relaidOut))
                        .checksum())
                .isEqualTo(checksum);
        assertThat(SchemaFiles.readMigration(write("20261126_120000_add_nickname.yaml", edited))
                        .checksum())
                .isNotEqualTo(checksum);
    }

    @Test
    void afterNamesOneDataMigrationOrAListOfThemAndIsNotPartOfTheChecksum() throws IOException {
        String checksum = SchemaFiles.readMigration(write("20261126_120000_add_nickname.yaml", USERS_V2))
                .checksum();
        String one = USERS_V2.replace(
                "mode: zero-downtime\n", "mode: zero-downtime\nafter: 001_datetime_fields_to_timestamps\n");
        String two = USERS_V2.replace("mode: zero-downtime\n", "mode: zero-downtime\nafter: [a_1, b_2]\n");

        SchemaMigrationFile afterOne = SchemaFiles.readMigration(write("20261126_120000_add_nickname.yaml", one));
        SchemaMigrationFile afterTwo = SchemaFiles.readMigration(write("20261126_120000_add_nickname.yaml", two));

        assertThat(afterOne.after()).containsExactly("001_datetime_fields_to_timestamps");
        assertThat(afterOne.afterLine()).isEqualTo(5);
        assertThat(afterOne.checksum())
                .as("adding after: to an applied file does not make it edited")
                .isEqualTo(checksum);
        assertThat(afterTwo.after()).containsExactly("a_1", "b_2");
        assertThat(SchemaFiles.readMigration(write("20261126_120000_add_nickname.yaml", USERS_V2))
                        .after())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a mapping  | after: {id: x}       | after must be a single value
            a blank id | after: ""            | a data migration id may not be blank
            a list item that is a list | after: [a, [b]] | after must be a single value
            """)
    void aBadAfterIsNamedWithItsLine(String what, String after, String problem) throws IOException {
        Path file = write(
                "20261126_120000_add_nickname.yaml",
                USERS_V2.replace("mode: zero-downtime\n", "mode: zero-downtime\n" + after + "\n"));

        assertThatThrownBy(() -> SchemaFiles.migrations(root))
                .isInstanceOf(SchemaFileException.class)
                .hasMessageStartingWith(file + ":5: ")
                .hasMessageContaining(problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown type            | type: NUMERIC}                   | type: NUMBER}                 | 13 | unknown type NUMBER
            misspelt option         | sortable: true}                  | sortabel: true}               | 12 | unknown key sortabel
            not a boolean           | sortable: true}                  | sortable: yes please}         | 12 | sortable: expected true or false
            unknown mode            | mode: zero-downtime              | mode: blue-green              | 4  | mode blue-green: expected recreate or zero-downtime
            unknown key type        | on: HASH                         | on: ZSET                      | 6  | unknown key type ZSET
            id not the file name    | id: 20261126_120000_add_nickname | id: 20261126_120000_other     | 1  | differs from the file name
            no new definition       | new:                             | next:                         | 15 | unknown key next
            broken YAML             | prefixes: [":app.models.User:"]  | prefixes: [":app.models.User:" | 8 | not valid YAML
            """)
    void aBadFileIsNamedWithItsLineAndTheProblem(String what, String good, String bad, int line, String problem)
            throws IOException {
        Path file = write(
                "20261126_120000_add_nickname.yaml",
                USERS_V2.replaceFirst(Pattern.quote(good), Matcher.quoteReplacement(bad)));

        assertThatThrownBy(() -> SchemaFiles.migrations(root))
                .isInstanceOf(SchemaFileException.class)
                .hasMessageStartingWith(file + ":" + line + ": ")
                .hasMessageContaining(problem);
    }

    @Test
    void aJsonFieldNeedsAPathAndTwoFilesMayNotShareAnId() throws IOException {
        Path json = write("20261126_120000_add_nickname.yaml", USERS_V2.replace("on: HASH", "on: JSON"));
        assertThatThrownBy(() -> SchemaFiles.migrations(root))
                .hasMessageStartingWith(json + ":")
                .hasMessageContaining("a JSON index needs a path");

        write("20261126_120000_add_nickname.yaml", USERS_V2);
        write("20261126_120000_add_nickname.yml", USERS_V2);
        assertThatThrownBy(() -> SchemaFiles.migrations(root)).hasMessageContaining("is also the id of");
    }

    @Test
    void modelsAreReadFromTheirOwnFolder() throws IOException {
        Path models = Files.createDirectories(root.resolve(SchemaFiles.MODELS_FOLDER));
        Files.writeString(models.resolve("user.yaml"), """
                index: users
                definition:
                  on: HASH
                  prefixes: ["user:"]
                  fields:
                    - {name: email, type: TAG}
                """);

        IndexModel model = SchemaFiles.models(root).get(0);

        assertThat(model.index()).isEqualTo("users");
        assertThat(model.definition().fields())
                .containsExactly(new IndexField(
                        null, "email", FieldType.TAG, false, false, ",", false, 1, false, null, Map.of()));
    }

    @Test
    void everyIndexAndFieldOptionIsWrittenAndReadBack() throws IOException {
        IndexDefinition everything = SchemaTokens.parseSchemaText("ON HASH PREFIX 1 a: LANGUAGE german"
                + " LANGUAGE_FIELD lang SCORE 0.5 SCORE_FIELD sc PAYLOAD_FIELD pl MAXTEXTFIELDS NOHL NOFIELDS NOFREQS"
                + " STOPWORDS 2 bar foo SCHEMA t TEXT WEIGHT 2 NOSTEM PHONETIC dm:en WITHSUFFIXTRIE INDEXEMPTY"
                + " INDEXMISSING SORTABLE UNF g TAG SEPARATOR | CASESENSITIVE WITHSUFFIXTRIE SORTABLE UNF"
                + " n NUMERIC INDEXMISSING SORTABLE NOINDEX");
        SchemaMigrationFile migration = new SchemaMigrationFile(
                "20261201_000000_all",
                "all options",
                "a",
                Optional.empty(),
                List.of(),
                0,
                null,
                everything,
                root.resolve("x"));

        Path file = write(migration.id() + ".yaml", SchemaFileWriter.render(migration));

        assertThat(SchemaFiles.readMigration(file).next()).isEqualTo(everything);
        assertThat(Files.readString(file))
                .contains(
                        "  language: \"german\"\n",
                        "  stopwords: [\"bar\", \"foo\"]\n",
                        "phonetic: \"dm:en\"",
                        "with_suffix_trie: true",
                        "index_missing: true",
                        "index_empty: true",
                        "unf: true",
                        "no_highlight: true");
    }

    @Test
    void aTemporaryIndexIsRefusedAtItsLine() throws IOException {
        Path models = Files.createDirectories(root.resolve(SchemaFiles.MODELS_FOLDER));
        Path file = Files.writeString(
                models.resolve("t.yaml"),
                "index: t\ndefinition:\n  on: HASH\n" + "  temporary: 60\n  fields: [{name: a, type: TAG}]\n");

        assertThatThrownBy(() -> SchemaFiles.models(root))
                .isInstanceOf(SchemaFileException.class)
                .hasMessageStartingWith(file + ":4: ")
                .hasMessageContaining("TEMPORARY indexes drop themselves");
    }
}
