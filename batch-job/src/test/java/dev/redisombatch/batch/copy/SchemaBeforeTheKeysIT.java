package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.redisombatch.batch.schema.LiveIndex;
import dev.redisombatch.batch.schema.SchemaFiles;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrateData --target.url} with schema migrations under {@code --migrations-dir}: those pending for the target
 * are applied to it before any key is copied, so each index they create takes the documents as they arrive; one
 * ordered after a data migration the copy makes on the way ({@code after:}) runs once the copy has recorded it
 * applied; the source gets none. The order is read from the target's SLOWLOG (every command logged, by id). Skipped,
 * with the reason, when no search module is given.
 */
class SchemaBeforeTheKeysIT {

    private static final int USERS = 3_000;
    private static final String INDEX = ":app.models.User:index";
    /** Applied on the source before the copy: the target gets its index from the source (--target.indexes=copy). */
    private static final String CREATE = "20261101_000000_create_users";
    /** Pending: a new index, applied to the target before its keys. */
    private static final String BY_NAME = "20261203_000000_users_by_name";
    /** Pending, after the built-in, which the copy makes on the way: applied to the target after the copy. */
    private static final String NUMERIC = "20261203_000001_created_at_numeric";
    /** Pending: a new index, refused by RediSearch 2.6 while it asks INDEXMISSING. */
    private static final String BY_CITY = "20261203_000002_users_by_city";

    private static final String PREFIXES = "  on: HASH\n  prefixes: [\":app.models.User:\"]\n  fields:\n";
    private static final String USER_FIELDS =
            "    - {name: pk, type: TAG}\n    - {name: name, type: TAG}\n    - {name: age, type: NUMERIC}\n";

    @RegisterExtension
    static final RedisServer source = RedisServer.withSearch();

    @RegisterExtension
    static final RedisServer target = RedisServer.withSearch();

    @TempDir
    Path work;

    /** Users on the source under an index a schema migration created there; an empty target logging every command. */
    @BeforeEach
    void sourceWithItsIndex() throws IOException {
        assumeFalse(
                source.external(),
                "REDIS_SEARCH_URL names one server: a copy needs two (give REDISEARCH_MODULE to start them here)");
        for (RedisServer server : List.of(source, target)) {
            server.dropEveryIndex();
            server.commands().flushall();
        }
        Users.load(source, USERS);
        writeMigration(CREATE, INDEX, "new:\n" + PREFIXES + USER_FIELDS + "    - {name: created_at, type: TAG}\n");
        InProcessRun created = InProcessRun.of(
                "--job=migrateSchema",
                "--command=run",
                "--redis.url=" + source.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("source-repo"),
                "--migrations-dir=" + work);
        assertThat(created.exitCode()).as(created.output()).isZero();
        target.commands().configSet("slowlog-log-slower-than", "0");
        target.commands().configSet("slowlog-max-len", "100000");
    }

    @Test
    void pendingSchemaMigrationsRunOnTheTargetBeforeItsKeysAndThoseAfterTheBuiltInAfterTheCopy() throws IOException {
        writeMigration(BY_NAME, "users-by-name", "new:\n" + PREFIXES + "    - {name: name, type: TAG}\n");
        writeNumericMigration("after: 001_datetime_fields_to_timestamps\n");
        target.commands().slowlogReset();

        InProcessRun run = copy();

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
                .contains(BY_NAME + ": applied (index users-by-name")
                .contains(NUMERIC + ": applied (index " + INDEX);
        List<LoggedCommand> log = slowlog();
        long firstRestore = first(log, "RESTORE").orElseThrow();
        long lastRestore = last(log, "RESTORE").orElseThrow();
        assertThat(first(log, "FT.CREATE", "users-by-name").orElseThrow())
                .as("users-by-name created before the first key was restored")
                .isLessThan(firstRestore);
        assertThat(first(log, "FT.CREATE", INDEX + ":v2").orElseThrow())
                .as("the NUMERIC index created after the last key was restored")
                .isGreaterThan(lastRestore);
        assertThat(count("users-by-name", "*")).isEqualTo(USERS);
        LiveIndex numeric = LiveIndex.fromInfoReply(target.search("FT.INFO", INDEX));
        assertThat(numeric.name()).isEqualTo(INDEX + ":v2");
        assertThat(numeric.numDocs()).isEqualTo(USERS);
        assertThat(numeric.hashIndexingFailures()).isZero();
        assertThat(target.commands().smembers(MigrationKind.SCHEMA.appliedSet()))
                .containsExactlyInAnyOrder(CREATE, BY_NAME, NUMERIC);
        assertThat(source.commands().smembers(MigrationKind.SCHEMA.appliedSet()))
                .containsExactly(CREATE);
        assertThat(source.search("FT._LIST")).containsExactly(INDEX);

        InProcessRun again = copy();

        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("done earlier, not copied again").contains("nothing pending on");

        List<String> verifying = copyArguments(true);
        verifying.set(0, "--job=verify");
        verifying.add("--check-data");
        InProcessRun verified = InProcessRun.of(verifying.toArray(String[]::new));

        // Redis OM's keys of the indexes (<index>:schema, <index>:hash) differ, and are no data to compare.
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains(USERS + " equal, 0 differ");
    }

    @Test
    void aSchemaMigrationTheTargetRefusesStopsTheCopyBeforeItsKeysAndTheSameCommandGoesOnOnceFixed()
            throws IOException {
        writeMigration(BY_NAME, "users-by-name", "new:\n" + PREFIXES + "    - {name: name, type: TAG}\n");
        writeMigration(
                BY_CITY,
                "users-by-city",
                "new:\n" + PREFIXES + "    - {name: city, type: TEXT, index_missing: true}\n");

        InProcessRun refused = copy();

        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output())
                .contains("INDEXMISSING")
                .contains("(before this run copied any key; the copy's mark, and what it wrote before, stay on the"
                        + " target)")
                .contains("what was written stays, and it goes on from there");
        assertThat(usersOnTheTarget()).isZero();
        assertThat(target.commands().smembers(MigrationKind.SCHEMA.appliedSet()))
                .containsExactlyInAnyOrder(CREATE, BY_NAME);
        String byNameAppliedAt = target.commands().hget(MigrationKind.SCHEMA.recordKey(BY_NAME), "applied_at");

        writeMigration(BY_CITY, "users-by-city", "new:\n" + PREFIXES + "    - {name: city, type: TEXT}\n");
        target.commands().slowlogReset();
        InProcessRun resumed = copy();

        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).doesNotContain(BY_NAME + ": applied").contains(BY_CITY + ": applied");
        assertThat(target.commands().hget(MigrationKind.SCHEMA.recordKey(BY_NAME), "applied_at"))
                .as("applied once, before the refusal")
                .isEqualTo(byNameAppliedAt);
        List<LoggedCommand> log = slowlog();
        assertThat(first(log, "FT.CREATE", "users-by-city").orElseThrow())
                .isLessThan(first(log, "RESTORE").orElseThrow());
        assertThat(first(log, "FT.CREATE", INDEX))
                .as("the source's index is not created again by the resumed copy")
                .isEmpty();
        assertThat(usersOnTheTarget()).isEqualTo(USERS);
        assertThat(count("users-by-name", "*")).isEqualTo(USERS);
        assertThat(target.commands().smembers(MigrationKind.SCHEMA.appliedSet()))
                .containsExactlyInAnyOrder(CREATE, BY_NAME, BY_CITY);
    }

    /**
     * A change of an index runs after the keys, where a zero-downtime switch can see whether the documents fit: here
     * ISO dates (no data migration) under a NUMERIC created_at, so the alias stays on the index copied from the source
     * (exit 4, as in place). A new index over them is created before the keys and, once they are copied, its failures
     * are warned of, as after a create in place.
     */
    @Test
    void aChangeOfAnIndexRunsAfterTheKeysWhereItsSwitchSeesDocumentsThatDoNotFit() throws IOException {
        writeNumericMigration("");
        writeMigration(BY_CITY, "users-by-created", "new:\n" + PREFIXES + "    - {name: created_at, type: NUMERIC}\n");
        target.commands().slowlogReset();

        InProcessRun run = InProcessRun.of(copyArguments(false).toArray(String[]::new));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(4);
        assertThat(run.output())
                .contains("so " + INDEX + " still points at " + INDEX + " and " + INDEX + ":v2 is kept for inspection")
                .containsPattern("index users-by-created \\(created before the copy's keys by " + BY_CITY
                        + "\\) holds [0-9]+ documents and could not index others: FT.INFO counts [1-9][0-9]* failures");
        List<LoggedCommand> log = slowlog();
        assertThat(first(log, "FT.CREATE", "users-by-created").orElseThrow())
                .isLessThan(first(log, "RESTORE").orElseThrow());
        assertThat(first(log, "FT.CREATE", INDEX + ":v2").orElseThrow())
                .isGreaterThan(last(log, "RESTORE").orElseThrow());
        assertThat(count(INDEX, "*")).as("users found through " + INDEX).isEqualTo(USERS);
        assertThat(target.commands().smembers(MigrationKind.SCHEMA.appliedSet()))
                .containsExactlyInAnyOrder(CREATE, BY_CITY);
    }

    private InProcessRun copy() {
        return InProcessRun.of(copyArguments(true).toArray(String[]::new));
    }

    /** @param converting whether the built-in datetime migration is made on the way */
    private List<String> copyArguments(boolean converting) {
        List<String> arguments = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + source.url(),
                "--target.url=" + target.url(),
                "--target.indexes=copy",
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--migrations-dir=" + work));
        if (converting) {
            arguments.addAll(List.of("--datetime.keys=" + Users.PATTERN, "--datetime.fields=created_at"));
        }
        return arguments;
    }

    /** {@value #NUMERIC}: the users' index, created_at a TAG, replaced by one where it is NUMERIC (zero-downtime). */
    private void writeNumericMigration(String after) throws IOException {
        writeMigration(
                NUMERIC,
                INDEX,
                "mode: zero-downtime\n" + after
                        + "previous:\n" + PREFIXES + USER_FIELDS + "    - {name: created_at, type: TAG}\n"
                        + "new:\n" + PREFIXES + USER_FIELDS + "    - {name: created_at, type: NUMERIC}\n");
    }

    private void writeMigration(String id, String index, String body) throws IOException {
        Files.writeString(
                Files.createDirectories(work.resolve(SchemaFiles.MIGRATIONS_FOLDER))
                        .resolve(id + ".yaml"),
                "id: " + id + "\nindex: \"" + index + "\"\n" + body);
    }

    private static long usersOnTheTarget() {
        return Users.snapshot(target, Users.PATTERN).size();
    }

    private static long count(String index, String query) {
        return (Long)
                target.search("FT.SEARCH", index, query, "LIMIT", "0", "0").get(0);
    }

    /** One command the target ran, by its SLOWLOG id (the order it ran in) and its arguments. */
    private record LoggedCommand(long id, List<String> arguments) {

        boolean is(String command, String... firstArguments) {
            if (!arguments.get(0).equalsIgnoreCase(command) || arguments.size() <= firstArguments.length) {
                return false;
            }
            for (int i = 0; i < firstArguments.length; i++) {
                if (!arguments.get(i + 1).equals(firstArguments[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    private static List<LoggedCommand> slowlog() {
        List<Object> entries = target.commands().slowlogGet(-1);
        assertThat(entries.size())
                .as("SLOWLOG entries (slowlog-max-len not reached)")
                .isLessThan(100_000);
        return entries.stream()
                .map(entry -> (List<?>) entry)
                .map(entry -> new LoggedCommand(
                        (Long) entry.get(0),
                        ((List<?>) entry.get(3)).stream().map(String::valueOf).toList()))
                .toList();
    }

    private static OptionalLong first(List<LoggedCommand> log, String command, String... firstArguments) {
        return ids(log, entry -> entry.is(command, firstArguments)).min();
    }

    private static OptionalLong last(List<LoggedCommand> log, String command) {
        return ids(log, entry -> entry.is(command)).max();
    }

    private static LongStream ids(List<LoggedCommand> log, Predicate<LoggedCommand> which) {
        return log.stream().filter(which).mapToLong(LoggedCommand::id);
    }
}
