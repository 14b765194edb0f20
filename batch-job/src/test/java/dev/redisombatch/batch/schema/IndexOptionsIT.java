package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every FT.CREATE option the test server's RediSearch has, through the real thing: the definition's FT.CREATE, then
 * FT.INFO read back, equal. INDEXMISSING and INDEXEMPTY (RediSearch 2.10+) are left to IndexOptionsTest when the
 * server is older. And a RedisVL schema file in {@code models/} drives {@code create} and {@code run}.
 */
class IndexOptionsIT {

    @RegisterExtension
    static final RedisServer redis = RedisServer.withSearch();

    @TempDir
    Path work;

    @BeforeEach
    void noIndexes() {
        SchemaRuns.forgetSchemaState(redis, "rvl-*");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ON HASH PREFIX 1 p: FILTER @n>1 LANGUAGE german LANGUAGE_FIELD lang SCORE 0.5 SCORE_FIELD sc"
                        + " PAYLOAD_FIELD pl MAXTEXTFIELDS NOOFFSETS NOFIELDS NOFREQS STOPWORDS 2 bar foo SCHEMA t TEXT",
                "ON HASH PREFIX 1 p: NOHL STOPWORDS 0 SCHEMA t TEXT",
                "ON HASH PREFIX 2 p: q: SCHEMA t TEXT WEIGHT 2 NOSTEM PHONETIC dm:en WITHSUFFIXTRIE SORTABLE UNF NOINDEX",
                "ON HASH PREFIX 1 p: SCHEMA t AS u TAG SEPARATOR | CASESENSITIVE WITHSUFFIXTRIE SORTABLE UNF",
                "ON HASH PREFIX 1 p: SCHEMA t TAG SEPARATOR ; CASESENSITIVE SORTABLE NOINDEX",
                "ON HASH PREFIX 1 p: SCHEMA n NUMERIC SORTABLE NOINDEX g GEO SORTABLE",
                "ON HASH PREFIX 1 p: SCHEMA v VECTOR HNSW 10 TYPE FLOAT32 DIM 4 DISTANCE_METRIC L2 EF_RUNTIME 20 M 8"
            })
    void whatIsCreatedIsWhatFtInfoGivesBack(String schemaText) {
        IndexDefinition definition = SchemaTokens.parseSchemaText(schemaText);
        List<String> create = definition.createCommand("opts");

        redis.search(create.get(0), create.subList(1, create.size()).toArray(String[]::new));
        LiveIndex live = LiveIndex.fromInfoReply(redis.search("FT.INFO", "opts"));

        assertThat(live.definition().differencesFrom(definition)).isEmpty();
        assertThat(live.unmodelled()).isEmpty();
    }

    @Test
    void aRedisVlSchemaFileDrivesCreateAndRunAndAnUnchangedIndexGetsNoFile() throws Exception {
        Path models = Files.createDirectories(work.resolve(SchemaFiles.MODELS_FOLDER));
        Files.writeString(models.resolve("docs.yaml"), RedisVlSchemaTest.DOCS_HASH);

        InProcessRun created = SchemaRuns.migrateSchema(redis.url(), work, "--command=create", "--name=docs");
        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(SchemaFiles.migrations(work)).hasSize(1);
        InProcessRun run = SchemaRuns.migrateSchema(redis.url(), work, "--command=run");
        assertThat(run.exitCode()).as(run.output()).isZero();

        LiveIndex live = LiveIndex.fromInfoReply(redis.search("FT.INFO", "rvl-docs"));
        IndexDefinition wanted = SchemaFiles.models(work).get(0).definition();
        assertThat(live.definition().differencesFrom(wanted)).isEmpty();
        InProcessRun again = SchemaRuns.migrateSchema(redis.url(), work, "--command=create", "--name=again");
        assertThat(again.output()).contains("nothing to write");
        assertThat(SchemaFiles.migrations(work)).hasSize(1);
    }

    @Test
    void indexMissingOnARediSearchBefore210IsRefusedBeforeTheLiveIndexIsTouched() throws Exception {
        String version = redis.commands().info("modules").replaceAll("(?s).*module:name=search,ver=(\\d+).*", "$1");
        assumeTrue(
                version.matches("\\d+") && Integer.parseInt(version) < 21000,
                "the test server's RediSearch (" + version + ") has INDEXMISSING; refusing it needs one before 2.10");
        String fields = "  fields:\n    - {name: title, type: TEXT}\n";
        SchemaRuns.writeMigration(
                work,
                "20261201_000000_docs",
                "rvl-docs",
                null,
                null,
                "new:\n  on: HASH\n  prefixes: [\"rvl-doc:\"]\n" + fields);
        assertThat(SchemaRuns.migrateSchema(redis.url(), work, "--command=run").exitCode())
                .isZero();
        SchemaRuns.writeMigration(
                work,
                "20261201_000001_missing",
                "rvl-docs",
                null,
                "previous:\n  on: HASH\n  prefixes: [\"rvl-doc:\"]\n" + fields,
                "new:\n  on: HASH\n  prefixes: [\"rvl-doc:\"]\n"
                        + fields.replace("TEXT}", "TEXT, index_missing: true}"));

        InProcessRun run = SchemaRuns.migrateSchema(redis.url(), work, "--command=run");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output())
                .contains("index rvl-docs: field(s) title use INDEXMISSING or INDEXEMPTY, which" + " RediSearch "
                        + version);
        assertThat(redis.search("FT._LIST")).containsExactly("rvl-docs");
        assertThat(LiveIndex.fromInfoReply(redis.search("FT.INFO", "rvl-docs"))
                        .definition()
                        .fields()
                        .get(0)
                        .indexMissing())
                .isFalse();
    }

    /**
     * A definition RediSearch refuses when FT.CREATE runs (a filter it cannot parse) is refused again by the same file:
     * exit 3, fix the migration, not exit 1 and a retry that fails the same way. For a new index and for the new
     * version of a zero-downtime replacement alike; the live index stays as it is.
     */
    @Test
    void aDefinitionRediSearchRefusesIsExit3WhetherCreatedOrSwitchedTo() throws Exception {
        String fields = "  fields:\n    - {name: title, type: TEXT}\n    - {name: n, type: NUMERIC}\n";
        String badFilter = "  filter: \"@n >>> (((\"\n";
        String hashes = "  on: HASH\n  prefixes: [\"rvl-r:\"]\n";
        SchemaRuns.writeMigration(
                work, "20261203_000000_refused", "rvl-refused", null, null, "new:\n" + hashes + badFilter + fields);

        InProcessRun created = SchemaRuns.migrateSchema(redis.url(), work, "--command=run");

        assertThat(created.exitCode()).as(created.output()).isEqualTo(3);
        assertThat(created.output()).contains("the new definition of rvl-refused is refused, so nothing was created");
        assertThat(redis.search("FT._LIST")).isEmpty();

        SchemaRuns.writeMigration(
                work, "20261203_000000_refused", "rvl-refused", null, null, "new:\n" + hashes + fields);
        assertThat(SchemaRuns.migrateSchema(redis.url(), work, "--command=run").exitCode())
                .isZero();
        SchemaRuns.writeMigration(
                work,
                "20261203_000001_switch_refused",
                "rvl-refused",
                "zero-downtime",
                "previous:\n" + hashes + fields,
                "new:\n" + hashes + badFilter + fields);

        InProcessRun switched = SchemaRuns.migrateSchema(redis.url(), work, "--command=run");

        assertThat(switched.exitCode()).as(switched.output()).isEqualTo(3);
        assertThat(switched.output())
                .contains("the new definition of rvl-refused is refused, so the live index was left as it is");
        assertThat(redis.search("FT._LIST")).containsExactly("rvl-refused");
    }
}
