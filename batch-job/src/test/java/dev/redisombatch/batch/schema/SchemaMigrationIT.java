package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.JarProcess.Finished;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema migrations against a real search-capable Redis ({@link RedisServer#withSearch}) holding 200,000 Redis
 * OM-shaped users. Each test starts with no index and no schema state; the users stay (the last test converts their
 * dates).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemaMigrationIT {

    private static final int USERS = 200_000;
    private static final String INDEX = ":app.models.User:index";
    private static final String CREATE = "20261101_000000_create_users";
    private static final String ADD_NICKNAME = "20261102_000000_add_nickname";
    private static final String FIELDS = """
                - {name: pk, type: TAG, separator: "|"}
                - {name: name, type: TAG, separator: "|"}
                - {name: email, type: TAG, separator: "|"}
                - {name: age, type: NUMERIC, sortable: true}
            """;
    private static final String NICKNAME = "    - {name: nickname, type: TEXT, sortable: true}\n";

    @RegisterExtension
    static final RedisServer redis = RedisServer.withSearch();

    @TempDir
    Path work;

    @BeforeAll
    static void loadUsers() {
        Users.load(redis, USERS);
    }

    @BeforeEach
    void startFromNoIndexAndNoSchemaState() {
        SchemaRuns.forgetSchemaState(redis, "*:index:*");
    }

    @Test
    @Order(1)
    void recreateModeReplacesTheIndexUnderItsOwnNameAndKeepsRedisOmState() throws Exception {
        writeMigration(CREATE, null, null, FIELDS);
        writeMigration(ADD_NICKNAME, "recreate", FIELDS, FIELDS + NICKNAME);

        InProcessRun run = schema("--command=run");

        assertThat(run.exitCode()).as(run.output()).isZero();
        LiveIndex live = info(INDEX);
        assertThat(live.name()).as("recreate keeps the index name, no alias").isEqualTo(INDEX);
        assertThat(live.built()).isTrue();
        assertThat(live.numDocs()).isEqualTo(USERS);
        assertThat(live.definition().fields()).extracting(IndexField::name).contains("nickname");
        assertRedisOmStateDescribes(live.definition(), CREATE, ADD_NICKNAME);
        assertThat(redis.commands().hget(MigrationKind.SCHEMA.recordKey(ADD_NICKNAME), "mode"))
                .isEqualTo("recreate");
        assertThat(redis.commands().hget(MigrationKind.SCHEMA.recordKey(ADD_NICKNAME), "checksum"))
                .isEqualTo(SchemaFiles.migrations(work).get(1).checksum());
        assertThat(schema("--command=run").output()).contains("0 pending");
    }

    @Test
    @Order(1)
    void aDefinitionRedisRefusesLeavesTheLiveIndexInPlaceInRecreateMode() throws Exception {
        writeMigration(CREATE, null, null, FIELDS);
        assertThat(schema("--command=run").exitCode()).isZero();
        String badFilter = "id: " + ADD_NICKNAME + "\nindex: \"" + INDEX + "\"\nmode: recreate\n"
                + definition("previous", FIELDS)
                + definition("new", FIELDS + NICKNAME).replace("  fields:", "  filter: \"@@@ (\"\n  fields:");
        Files.writeString(work.resolve(SchemaFiles.MIGRATIONS_FOLDER).resolve(ADD_NICKNAME + ".yaml"), badFilter);

        InProcessRun run = schema("--command=run");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
        assertThat(run.output())
                .contains("the new definition of " + INDEX + " is refused, so the live index was" + " left as it is")
                .doesNotContain("run the same command again");
        assertThat(redis.search("FT._LIST")).containsExactly(INDEX);
        assertThat(info(INDEX).numDocs()).isEqualTo(USERS);
        assertThat(redis.commands().sismember(MigrationKind.SCHEMA.appliedSet(), ADD_NICKNAME))
                .isFalse();
    }

    @Test
    @Order(2)
    void zeroDowntimeKeepsEveryQueryThroughTheAliasAnsweredThenRollbackRestoresThePreviousDefinition()
            throws Exception {
        writeMigration(CREATE, null, null, FIELDS);
        assertThat(schema("--command=run").exitCode()).isZero();
        List<String> someUsers = redis.commands().keys(":app.models.User:*").stream()
                .filter(key -> !key.startsWith(INDEX))
                .limit(3)
                .toList();
        someUsers.forEach(key -> redis.commands().hset(key, "nickname", "zebulon"));
        writeMigration(ADD_NICKNAME, "zero-downtime", FIELDS, FIELDS + NICKNAME);

        String somePk = redis.commands().hget(someUsers.get(0), "pk");
        QueryLoop queries = QueryLoop.start(() -> count(INDEX, "@pk:{" + somePk + "}"), 1);
        InProcessRun run = schema("--command=run");
        queries.stop();

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(queries.errors())
                .as("queries that failed during the switch: %s", queries.firstError())
                .isZero();
        assertThat(queries.wrongCounts())
                .as("queries that did not find the user")
                .isZero();
        assertThat(queries.answered())
                .as("queries answered during the migration")
                .isGreaterThan(20);
        assertThat(redis.search("FT._LIST")).containsExactly(INDEX + ":v2");
        assertThat(count(INDEX, "@nickname:zebulon")).isEqualTo(3);
        assertThat(info(INDEX).numDocs()).isEqualTo(USERS);
        assertRedisOmStateDescribes(info(INDEX).definition(), CREATE, ADD_NICKNAME);

        InProcessRun rollback = schema("--command=rollback", "--migration=" + ADD_NICKNAME);

        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        LiveIndex restored = info(INDEX);
        assertThat(restored.name()).isEqualTo(INDEX + ":v3");
        assertThat(restored.definition()
                        .sameAs(SchemaFiles.migrations(work).get(0).next()))
                .isTrue();
        assertThat(restored.numDocs()).isEqualTo(USERS);
        assertRedisOmStateDescribes(restored.definition(), CREATE);
        assertThat(redis.commands().exists(MigrationKind.SCHEMA.recordKey(ADD_NICKNAME)))
                .isZero();
    }

    @Test
    @Order(3)
    void dryRunPrintsTheExactCommandsAndChangesNothing() throws Exception {
        writeMigration(CREATE, null, null, FIELDS);
        assertThat(schema("--command=run").exitCode()).isZero();
        writeMigration(ADD_NICKNAME, "zero-downtime", FIELDS, FIELDS + NICKNAME);

        InProcessRun dry = schema("--command=run", "--dry-run");

        assertThat(dry.exitCode()).as(dry.output()).isZero();
        assertThat(dry.output())
                .contains("FT.CREATE " + INDEX + ":v2 ON HASH PREFIX 1 :app.models.User: SCHEMA"
                        + " pk TAG SEPARATOR | name TAG SEPARATOR | email TAG SEPARATOR | age NUMERIC SORTABLE"
                        + " nickname TEXT SORTABLE\n")
                .contains("MULTI\nFT.DROPINDEX " + INDEX + "\nFT.ALIASADD " + INDEX + " " + INDEX + ":v2\nEXEC\n")
                .contains(INDEX + " would point at " + INDEX + ":v2; " + INDEX + " would be dropped")
                .doesNotContain("now points at");
        assertThat(redis.search("FT._LIST")).containsExactly(INDEX);
        assertThat(redis.commands().sismember(MigrationKind.SCHEMA.appliedSet(), ADD_NICKNAME))
                .isFalse();
    }

    @Test
    @Order(4)
    void aRunKilledWhileTheNewIndexIsBuiltIsContinuedByTheSameCommand() throws Exception {
        writeMigration(CREATE, null, null, FIELDS);
        assertThat(schema("--command=run").exitCode()).isZero();
        writeMigration(ADD_NICKNAME, "zero-downtime", FIELDS, FIELDS + NICKNAME);
        String[] args = {
            "--job=migrateSchema",
            "--redis.url=" + redis.url(),
            "--job-repository.url=jdbc:h2:file:" + work.resolve("jar-repo"),
            "--migrations-dir=" + work,
            "--lock.ttl=3"
        };

        JarProcess first = JarProcess.start(work, args);
        long deadline = System.currentTimeMillis() + 60_000;
        while (!redis.search("FT._LIST").contains(INDEX + ":v2")
                && first.isAlive()
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(2);
        }
        // Writes held from here on: however late this poll saw the new index (a busy machine), the run cannot switch
        // the alias or mark the migration applied before it is killed; the index build itself goes on.
        redis.pauseWrites(Duration.ofSeconds(60));
        try {
            first.kill();
        } finally {
            redis.search("CLIENT", "UNPAUSE");
        }
        assertThat(first.output()).contains("FT.CREATE " + INDEX + ":v2");
        assertThat(redis.commands().sismember(MigrationKind.SCHEMA.appliedSet(), ADD_NICKNAME))
                .isFalse();
        Thread.sleep(3_500); // the killed run's lock expires

        Finished second = JarProcess.run(work, args);

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output())
                .contains("exists with the new definition (an earlier run created it)")
                .doesNotContain("FT.CREATE");
        assertThat(redis.search("FT._LIST")).containsExactly(INDEX + ":v2");
        assertThat(info(INDEX).numDocs()).isEqualTo(USERS);
        assertRedisOmStateDescribes(info(INDEX).definition(), CREATE, ADD_NICKNAME);
    }

    @Test
    @Order(5)
    void createWritesAMigrationForAModelThatDiffersFromTheLiveIndexAndStatusShowsDrift() throws Exception {
        writeMigration(CREATE, null, null, FIELDS);
        assertThat(schema("--command=run").exitCode()).isZero();
        Path models = Files.createDirectories(work.resolve(SchemaFiles.MODELS_FOLDER));
        Files.writeString(
                models.resolve("user.yaml"),
                "index: \"" + INDEX + "\"\ndefinition:\n  on: HASH\n"
                        + "  prefixes: [\":app.models.User:\"]\n  fields:\n" + FIELDS + NICKNAME);

        InProcessRun created = schema("--command=create", "--name=add_nickname");

        assertThat(created.exitCode()).as(created.output()).isZero();
        List<SchemaMigrationFile> files = SchemaFiles.migrations(work);
        assertThat(files).hasSize(2);
        SchemaMigrationFile written = files.get(1);
        assertThat(written.id()).matches("\\d{8}_\\d{6}_add_nickname");
        assertThat(written.previous().sameAs(info(INDEX).definition())).isTrue();
        assertThat(written.description()).isEqualTo("field nickname added (TEXT)");
        assertThat(schema("--command=create", "--name=again").output()).contains("pending already in");
        assertThat(schema("--command=status", "--check").exitCode()).isEqualTo(7);

        assertThat(schema("--command=run").exitCode()).isZero();
        assertThat(schema("--command=status", "--check").exitCode()).isZero();
        redis.search("FT.ALTER", INDEX, "SCHEMA", "ADD", "by_hand", "TAG");
        InProcessRun status = schema("--command=status", "--check");
        assertThat(status.exitCode()).isEqualTo(7);
        assertThat(status.output())
                .contains("index " + INDEX + ": DRIFT from " + written.id() + ": field by_hand added (TAG)");
    }

    @Test
    @Order(6)
    void migrateDataRunsSchemaMigrationsFirstAndTheConvertedDatesBecomeSearchable() throws Exception {
        writeMigration(CREATE, null, null, FIELDS + "    - {name: created_at, type: NUMERIC, sortable: true}\n");
        long withDates = Users.snapshot(redis, Users.PATTERN).values().stream()
                .filter(user -> user.containsKey("created_at"))
                .count();

        InProcessRun run = InProcessRun.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--migrations-dir=" + work,
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output().indexOf("applying schema migration " + CREATE))
                .isLessThan(run.output().indexOf("001_datetime_fields_to_timestamps"));
        assertThat(run.output())
                .as("created before the dates were converted, with no old index to keep: a warning")
                .contains("index " + INDEX + " could not index " + withDates + " documents (FT.INFO"
                        + " hash_indexing_failures; " + (USERS - withDates) + " indexed): queries miss them");
        assertThat(count(INDEX, "@created_at:[-inf +inf]")).isEqualTo(withDates);
        assertThat(info(INDEX).numDocs()).isEqualTo(USERS);
    }

    private InProcessRun schema(String... extra) {
        return SchemaRuns.migrateSchema(redis.url(), work, extra);
    }

    private void writeMigration(String id, String mode, String previousFields, String newFields) throws IOException {
        SchemaRuns.writeMigration(
                work,
                id,
                INDEX,
                mode,
                previousFields == null ? null : definition("previous", previousFields),
                definition("new", newFields));
    }

    private static String definition(String key, String fields) {
        return key + ":\n  on: HASH\n  prefixes: [\":app.models.User:\"]\n  fields:\n" + fields;
    }

    private static LiveIndex info(String index) {
        return LiveIndex.fromInfoReply(redis.search("FT.INFO", index));
    }

    private static long count(String index, String query) {
        return (Long) redis.search("FT.SEARCH", index, query, "LIMIT", "0", "0").get(0);
    }

    /** Redis OM Python's view: the applied ids, and {@code <index>:schema} / {@code :hash} for the definition. */
    private static void assertRedisOmStateDescribes(IndexDefinition definition, String... appliedIds) {
        assertThat(redis.commands().smembers(MigrationKind.SCHEMA.appliedSet())).containsExactlyInAnyOrder(appliedIds);
        String schemaText = redis.commands().get(INDEX + ":schema");
        assertThat(SchemaTokens.parseSchemaText(schemaText).sameAs(definition))
                .as(schemaText)
                .isTrue();
        assertThat(redis.commands().get(INDEX + ":hash")).isEqualTo(IndexKeys.sha1Hex(schemaText));
    }
}
