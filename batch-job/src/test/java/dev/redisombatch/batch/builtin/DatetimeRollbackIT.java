package dev.redisombatch.batch.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.ClientShutdown;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrateData} then {@code rollback} of the built-in over Redis OM {@code HashModel} users, in this JVM,
 * against a real redis-server: the ISO values come back byte for byte where they were in Python's spelling, as the
 * same instant where they were not.
 */
class DatetimeRollbackIT {

    private static final String ID = DatetimeFieldsToTimestamps.ID;
    private static final String PATTERN = ":app.models.User:*";
    private static final int USERS = 20_000;

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    /** How many values of each kind the users hold. */
    private long pythonSpelled;

    private long otherSpellings;

    @BeforeEach
    void users() throws Exception {
        redis.commands().flushall();
        pythonSpelled = 0;
        otherSpellings = 0;
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> commands = connection.async();
            List<RedisFuture<Long>> replies = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                Map<String, String> user = new LinkedHashMap<>();
                user.put("name", "user " + i);
                if (i % 50 != 7) {
                    user.put("created_at", IsoSpellings.datetime(i));
                    boolean python = IsoSpellings.pythonSpelling(user.get("created_at"), false);
                    pythonSpelled += python ? 1 : 0;
                    otherSpellings += python ? 0 : 1;
                }
                if (i % 10 != 3) {
                    user.put("birth_date", IsoSpellings.date(i));
                    pythonSpelled++;
                }
                replies.add(commands.hset(String.format(":app.models.User:%08d", i), user));
                if (replies.size() == 1_000) {
                    connection.flushCommands();
                    for (RedisFuture<Long> reply : replies) {
                        reply.get(30, TimeUnit.SECONDS);
                    }
                    replies.clear();
                }
            }
        } finally {
            ClientShutdown.of(client);
        }
        // A timestamp under another pattern: not the built-in's to roll back.
        redis.commands().hset(":app.models.Order:1", "created_at", "1705314600.0");
    }

    private InProcessRun run(String job, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=" + job,
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--partitions=4"));
        args.addAll(List.of(extra));
        return InProcessRun.of(args.toArray(String[]::new));
    }

    private static final String[] OPTIONS = {
        "--datetime.keys=" + PATTERN,
        "--datetime.fields=created_at,birth_date",
        "--datetime.dates=birth_date",
        "--datetime.zone=" + IsoSpellings.ZONE
    };

    private InProcessRun migrate() {
        return run("migrateData", OPTIONS);
    }

    @Test
    void rollbackGivesBackPythonSpelledValuesByteForByteAndOthersAsTheSameInstant() {
        Map<String, Map<String, String>> before = Users.snapshot(redis, PATTERN);
        assertThat(before).hasSize(USERS);
        assertThat(pythonSpelled).isEqualTo(30_000);
        assertThat(otherSpellings).isEqualTo(7_600);

        InProcessRun migrated = migrate();
        assertThat(migrated.exitCode()).as(migrated.output()).isZero();
        long timestamps = Users.snapshot(redis, PATTERN).values().stream()
                .flatMap(user -> user.entrySet().stream())
                .filter(field ->
                        !field.getKey().equals("name") && field.getValue().matches("-?\\d+\\.\\d+"))
                .count();
        assertThat(timestamps).isEqualTo(pythonSpelled + otherSpellings);

        // No --datetime.* option: the configuration (the date field included) comes from the applied record.
        InProcessRun rollback = run("rollback", "--migration=" + ID);

        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        assertThat(rollback.output()).contains(ID + ": rolled back");
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), ID))
                .isFalse();
        Map<String, Map<String, String>> restored = Users.snapshot(redis, PATTERN);
        IsoSpellings.Comparison comparison = compare(before, restored);
        assertThat(comparison.notByteForByte).as(comparison.examples.toString()).isZero();
        assertThat(comparison.notSameInstant).as(comparison.examples.toString()).isZero();
        assertThat(comparison.byteForByte).isEqualTo(pythonSpelled);
        assertThat(comparison.sameInstant).isEqualTo(otherSpellings);
        assertThat(redis.commands().hget(":app.models.Order:1", "created_at")).isEqualTo("1705314600.0");

        // Its record is gone with the rollback: known again only from the options.
        InProcessRun again = run("rollback", concat(OPTIONS, "--migration=" + ID));
        assertThat(again.exitCode()).isEqualTo(3);
        assertThat(again.output()).contains(ID + " is not applied");

        // Up and down once more: what came back is a fixed point of the round trip.
        assertThat(migrate().exitCode()).isZero();
        InProcessRun second = run("rollback", "--migration=" + ID);
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(Users.snapshot(redis, PATTERN)).isEqualTo(restored);
    }

    @Test
    void aConfigurationAppliedWithoutDateFieldsIsRolledBackWithThemButNotWithAnotherZone() {
        Map<String, Map<String, String>> before = Users.snapshot(redis, PATTERN);
        String[] withoutDates = {
            "--datetime.keys=" + PATTERN,
            "--datetime.fields=created_at,birth_date",
            "--datetime.zone=" + IsoSpellings.ZONE
        };
        assertThat(run("migrateData", withoutDates).exitCode()).isZero();
        Map<String, Map<String, String>> migrated = Users.snapshot(redis, PATTERN);

        InProcessRun otherZone = run(
                "rollback",
                "--migration=" + ID,
                "--datetime.keys=" + PATTERN,
                "--datetime.fields=created_at,birth_date",
                "--datetime.dates=birth_date",
                "--datetime.zone=UTC");
        assertThat(otherZone.exitCode()).as(otherZone.output()).isEqualTo(3);
        assertThat(otherZone.output())
                .contains(ID + " cannot be rolled back with these --datetime.* options: applied"
                        + " with {fields=birth_date,created_at, keys=" + PATTERN + ", zone=Europe/Paris}, configured");
        assertThat(Users.snapshot(redis, PATTERN)).isEqualTo(migrated);

        InProcessRun rollback = run("rollback", concat(OPTIONS, "--migration=" + ID));

        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        IsoSpellings.Comparison comparison = compare(before, Users.snapshot(redis, PATTERN));
        assertThat(comparison.notByteForByte).as(comparison.examples.toString()).isZero();
        assertThat(comparison.notSameInstant).as(comparison.examples.toString()).isZero();
        assertThat(comparison.byteForByte).isEqualTo(pythonSpelled);
    }

    @Test
    void aDryRunOfTheRollbackWritesNothing() {
        assertThat(migrate().exitCode()).isZero();
        Map<String, Map<String, String>> migrated = Users.snapshot(redis, PATTERN);

        InProcessRun dryRun = run("rollback", "--migration=" + ID, "--dry-run");

        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
        assertThat(dryRun.output()).contains("would change");
        assertThat(Users.snapshot(redis, PATTERN)).isEqualTo(migrated);
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), ID))
                .isTrue();
    }

    private static String[] concat(String[] options, String... more) {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static IsoSpellings.Comparison compare(
            Map<String, Map<String, String>> before, Map<String, Map<String, String>> after) {
        IsoSpellings.Comparison comparison = new IsoSpellings.Comparison();
        before.forEach((key, user) -> {
            Map<String, String> restored = after.getOrDefault(key, Map.of());
            assertThat(restored.get("name")).isEqualTo(user.get("name"));
            for (String field : List.of("created_at", "birth_date")) {
                if (user.containsKey(field)) {
                    comparison.compare(
                            key + " " + field, user.get(field), restored.get(field), field.equals("birth_date"));
                } else {
                    assertThat(restored).doesNotContainKey(field);
                }
            }
        });
        return comparison;
    }
}
