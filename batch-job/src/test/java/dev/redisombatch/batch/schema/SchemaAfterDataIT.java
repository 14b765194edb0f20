package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/schema-migrations.md's "Schema after data" example against a real search-capable Redis ({@link RedisServer#withSearch}): 100,000 users
 * saved by Redis OM 0.x (ISO {@code created_at}) under an index where {@code created_at} is a TAG, the built-in
 * datetime migration, and a zero-downtime schema migration that makes {@code created_at} NUMERIC, ordered after the
 * built-in ({@code after:}). A document whose NUMERIC field holds an ISO string is not indexed at all, so an index
 * built before the conversion would answer for a few users only.
 */
class SchemaAfterDataIT {

    private static final int USERS = 100_000;
    private static final String INDEX = ":app.models.User:index";
    private static final String CREATE = "20261101_000000_create_users";
    private static final String NUMERIC = "20261201_000000_created_at_numeric";
    private static final String BUILT_IN = DatetimeFieldsToTimestamps.ID;
    private static final String FIELDS = """
                - {name: pk, type: TAG, separator: "|"}
                - {name: name, type: TAG, separator: "|"}
                - {name: email, type: TAG, separator: "|"}
                - {name: age, type: NUMERIC}
            """;
    private static final String CREATED_AT_TAG = "    - {name: created_at, type: TAG, separator: \"|\"}\n";
    private static final String CREATED_AT_NUMERIC = "    - {name: created_at, type: NUMERIC, sortable: true}\n";

    @RegisterExtension
    static final RedisServer redis = RedisServer.withSearch();

    @TempDir
    Path work;

    /** Users as Redis OM 0.x left them, indexed by the index it created (created_at a TAG). */
    @BeforeEach
    void isoUsersUnderTheOldIndex() throws IOException {
        redis.dropEveryIndex();
        redis.commands().flushall();
        Users.load(redis, USERS);
        SchemaRuns.writeMigration(work, CREATE, INDEX, null, null, definition("new", FIELDS + CREATED_AT_TAG));
        InProcessRun created = SchemaRuns.migrateSchema(redis.url(), work, "--command=run");
        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(info(INDEX).numDocs()).isEqualTo(USERS);
    }

    @Test
    void theNumericIndexOrderedAfterTheBuiltInLeavesNoQueryGap() throws Exception {
        writeNumericMigrationAfter(BUILT_IN);
        Collection<Map<String, String>> users =
                Users.snapshot(redis, Users.PATTERN).values();
        long withDates =
                users.stream().filter(user -> user.containsKey("created_at")).count();
        long aged30 =
                users.stream().filter(user -> "30".equals(user.get("age"))).count();

        // about 1,400 users: a query over all 100,000 in a loop would take the server's time from the index build
        QueryLoop everyUser = QueryLoop.start(() -> count(INDEX, "@age:[30 30]"), aged30);
        InProcessRun run = migrateData();
        everyUser.stop();
        System.out.printf(
                "%d queries answered during the run, %d wrong, %d failed%n",
                everyUser.answered(), everyUser.wrongCounts(), everyUser.errors());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(appliedAt(MigrationKind.SCHEMA, NUMERIC))
                .as("the schema migration ran after the data migration")
                .isAfter(appliedAt(MigrationKind.DATA, BUILT_IN));
        assertThat(everyUser.errors())
                .as("queries that failed: %s", everyUser.firstError())
                .isZero();
        assertThat(everyUser.wrongCounts())
                .as("queries that missed users, the first: %s", everyUser.firstWrongCount())
                .isZero();
        assertThat(everyUser.answered()).as("queries answered during the run").isPositive();
        LiveIndex live = info(INDEX);
        assertThat(live.name()).isEqualTo(INDEX + ":v2");
        assertThat(live.numDocs()).isEqualTo(USERS);
        assertThat(live.hashIndexingFailures()).isZero();
        assertThat(count(INDEX, "@created_at:[-inf +inf]")).isEqualTo(withDates);
        assertThat(redis.commands().smembers(MigrationKind.SCHEMA.appliedSet()))
                .containsExactlyInAnyOrder(CREATE, NUMERIC);
    }

    @Test
    void documentsThatStillFailAfterTheDataMigrationKeepTheAliasOnTheOldIndexUntilTheyAreFixed() throws Exception {
        // values the built-in cannot parse: skipped (log_and_skip), so the built-in is applied with them unconverted
        List<String> broken =
                List.of(":app.models.User:broken1", ":app.models.User:broken2", ":app.models.User:broken3");
        broken.forEach(key -> redis.commands()
                .hset(key, Map.of("pk", key.substring(17), "name", "Broken", "created_at", "yesterday")));
        writeNumericMigrationAfter(BUILT_IN);

        InProcessRun refused = migrateData();

        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(4);
        assertThat(refused.output())
                .contains("index " + INDEX + ":v2 could not index 3 documents (FT.INFO"
                        + " hash_indexing_failures; " + USERS + " indexed), so " + INDEX + " still points at " + INDEX
                        + " and " + INDEX + ":v2 is kept for inspection");
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), BUILT_IN))
                .isTrue();
        assertThat(redis.commands().sismember(MigrationKind.SCHEMA.appliedSet(), NUMERIC))
                .isFalse();
        assertThat(info(INDEX).name()).as("queries still reach the old index").isEqualTo(INDEX);
        assertThat(count(INDEX, "*")).isEqualTo(USERS + broken.size());
        assertThat(redis.search("FT._LIST")).containsExactlyInAnyOrder(INDEX, INDEX + ":v2");
        assertThat(info(INDEX + ":v2").hashIndexingFailures()).isEqualTo(broken.size());

        broken.forEach(key -> redis.commands().hset(key, "created_at", "1700000000.0"));
        InProcessRun fixed = migrateData();

        assertThat(fixed.exitCode()).as(fixed.output()).isZero();
        assertThat(fixed.output()).contains("is built again to see whether the documents fit now");
        LiveIndex live = info(INDEX);
        assertThat(live.name()).isEqualTo(INDEX + ":v2");
        assertThat(live.numDocs()).isEqualTo(USERS + broken.size());
        assertThat(live.hashIndexingFailures()).isZero();
        assertThat(redis.search("FT._LIST")).containsExactly(INDEX + ":v2");
    }

    private void writeNumericMigrationAfter(String dataMigration) throws IOException {
        String text = "id: " + NUMERIC + "\nindex: \"" + INDEX + "\"\nmode: zero-downtime\nafter: " + dataMigration
                + "\n" + definition("previous", FIELDS + CREATED_AT_TAG)
                + definition("new", FIELDS + CREATED_AT_NUMERIC);
        Files.writeString(work.resolve(SchemaFiles.MIGRATIONS_FOLDER).resolve(NUMERIC + ".yaml"), text);
    }

    private InProcessRun migrateData() {
        return InProcessRun.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--migrations-dir=" + work,
                "--progress.interval=1",
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at");
    }

    private static Instant appliedAt(MigrationKind kind, String id) {
        return Instant.parse(redis.commands().hget(kind.recordKey(id), "applied_at"));
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
}
