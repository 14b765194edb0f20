package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.FieldExpiryMigration;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.MigrationJars;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.UserFields;
import dev.redisombatch.batch.support.Users;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A migration that sets and clears field expiry times on purpose ({@link FieldExpiryMigration}), on a server with
 * hash field expiration ({@code REDIS_HFE_SERVER}, Redis 7.4+): every user gets exactly the instant asked, in both
 * write modes, and a walk over them again changes nothing; a dry run counts every ask as a change (issue 19, point 5).
 */
class FieldExpiryMigrationIT {

    private static final int USERS = 20_000;
    private static final long ONE_HOUR_MS = 3_600_000;

    @RegisterExtension
    static final RedisServer redis = RedisServer.withFieldExpiration();

    @TempDir
    Path work;

    @BeforeEach
    void usersWithASessionAndATokenExpiringInAnHour() throws Exception {
        assertThat(redis.commands().commandInfo("HPEXPIRETIME"))
                .as("REDIS_HFE_SERVER must be Redis 7.4 or later")
                .doesNotContainNull();
        redis.commands().flushall();
        Users.load(redis, USERS);
        UserFields.onEveryUser(redis, Users.snapshot(redis, Users.PATTERN).keySet(), (commands, key, index) -> {
            commands.hset(key, Map.of("session", "s" + index, "token", "t" + index));
            return commands.hpexpire(key, ONE_HOUR_MS, "session", "token");
        });
    }

    @ParameterizedTest(name = "--write-mode={0}")
    @ValueSource(strings = {"conditional", "overwrite"})
    void everyUserGetsExactlyTheExpiryAskedAndTheClearedFieldIsPersistent(String writeMode) throws Exception {
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        Path jar = MigrationJars.of(work.resolve("migrations/expiry.jar"), FieldExpiryMigration.class);

        InProcessRun run = InProcessRun.of(arguments(jar, writeMode));

        assertThat(run.exitCode()).as(run.output()).isZero();
        Map<String, List<Long>> expiry = UserFields.expiryTimes(redis, before.keySet(), "session", "token", "plan");
        Map<String, Map<String, String>> after = Users.snapshot(redis, Users.PATTERN);
        long sessionsAsAsked = 0;
        long tokensPersistent = 0;
        long plansAsAsked = 0;
        long evenAges = 0;
        for (String key : before.keySet()) {
            long asked =
                    FieldExpiryMigration.expiryOf(before.get(key).get("age")).toEpochMilli();
            List<Long> times = expiry.get(key);
            sessionsAsAsked += times.get(0) == asked ? 1 : 0;
            tokensPersistent += times.get(1) == -1 ? 1 : 0;
            boolean even = Integer.parseInt(before.get(key).get("age")) % 2 == 0;
            evenAges += even ? 1 : 0;
            plansAsAsked += even
                            && times.get(2) == asked
                            && "free".equals(after.get(key).get("plan"))
                    ? 1
                    : 0;
            plansAsAsked -= !even && times.get(2) != -2 ? 1 : 0;
        }
        System.out.println("--write-mode=" + writeMode + ": " + sessionsAsAsked + " sessions at the instant asked, "
                + tokensPersistent + " tokens persistent, " + plansAsAsked + " plans of " + evenAges);
        assertThat(sessionsAsAsked).isEqualTo(USERS);
        assertThat(tokensPersistent).isEqualTo(USERS);
        assertThat(evenAges).isBetween(USERS / 3L, USERS * 2L / 3);
        assertThat(plansAsAsked).isEqualTo(evenAges);
        long otherwiseChanged = before.keySet().stream()
                .filter(key -> {
                    Map<String, String> expected = new HashMap<>(before.get(key));
                    if (Integer.parseInt(expected.get("age")) % 2 == 0) {
                        expected.put("plan", "free");
                    }
                    return !expected.equals(after.get(key));
                })
                .count();
        assertThat(otherwiseChanged).as("users whose values changed otherwise").isZero();
        Map<String, String> record = redis.commands().hgetall(MigrationKind.DATA.recordKey(FieldExpiryMigration.ID));
        assertThat(Long.parseLong(record.get("changed"))).isEqualTo(USERS);
        assertThat(redis.commands().sismember("redis_om:applied_migrations", FieldExpiryMigration.ID))
                .isTrue();

        // Walked again, every expiry asked already holds: the server writes nothing and counts nothing.
        InProcessRun rewalk = InProcessRun.of(concat(arguments(jar, writeMode), "--rewalk=" + FieldExpiryMigration.ID));
        assertThat(rewalk.exitCode()).as(rewalk.output()).isZero();
        record = redis.commands().hgetall(MigrationKind.DATA.recordKey(FieldExpiryMigration.ID));
        System.out.println("rewalk: " + record.get("rewalk_changed") + " changed");
        assertThat(Long.parseLong(record.get("rewalk_changed"))).isZero();
        assertThat(UserFields.expiryTimes(redis, before.keySet(), "session", "token", "plan"))
                .isEqualTo(expiry);

        // verify --check-data compares values only: the expiry asked again is not counted as left undone.
        InProcessRun verify = InProcessRun.of(
                "--job=verify",
                "--check-data=true",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--migrations.jars=" + jar);
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    @Test
    void aDryRunCountsEveryExpiryAskedAsAChangeAndWritesNothing() throws Exception {
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        Map<String, List<Long>> expiryBefore = UserFields.expiryTimes(redis, before.keySet(), "session", "token");
        Path jar = MigrationJars.of(work.resolve("migrations/expiry.jar"), FieldExpiryMigration.class);

        InProcessRun dryRun = InProcessRun.of(concat(arguments(jar, "conditional"), "--dry-run=true"));

        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
        // Every document read counts, once per read: SCAN returns a few keys twice at the edges of its slices.
        Matcher counts =
                Pattern.compile("(\\d+) read, (\\d+) would change, 0 unchanged").matcher(dryRun.output());
        assertThat(counts.find()).as(dryRun.output()).isTrue();
        assertThat(Long.parseLong(counts.group(2)))
                .isEqualTo(Long.parseLong(counts.group(1)))
                .isGreaterThanOrEqualTo(USERS);
        assertThat(dryRun.output()).containsPattern("e\\.g\\. .*, expire \\{session=2100-.*\\} persist \\[token\\]");
        assertThat(Users.snapshot(redis, Users.PATTERN)).isEqualTo(before);
        assertThat(UserFields.expiryTimes(redis, before.keySet(), "session", "token"))
                .isEqualTo(expiryBefore);
    }

    private String[] arguments(Path jar, String writeMode) {
        return new String[] {
            "--job=migrateData",
            "--redis.url=" + redis.url(),
            "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
            "--migrations.jars=" + jar,
            "--write-mode=" + writeMode,
            "--partitions=4",
            "--threads=2"
        };
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
