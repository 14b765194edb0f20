package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.UserFields;
import dev.redisombatch.batch.support.Users;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hash field expiration (Redis 7.4+, {@code REDIS_HFE_SERVER}): HSET of a field drops its TTL, so every field the
 * built-in migration rewrites must keep the expiry time it had, in both write modes (issue 19, point 5).
 */
class HashFieldTtlIT {

    private static final int USERS = 20_000;
    private static final long ONE_HOUR_MS = 3_600_000;
    /** created_at and a copy of it, both rewritten by the migration, and a field it leaves alone. */
    private static final String[] FIELDS = {"created_at", "updated_at", "session"};

    @RegisterExtension
    static final RedisServer redis = RedisServer.withFieldExpiration();

    @TempDir
    Path work;

    @BeforeEach
    void usersWithFieldTtls() {
        assertThat(redis.commands().commandInfo("HPEXPIRETIME"))
                .as("REDIS_HFE_SERVER must be Redis 7.4 or later")
                .doesNotContainNull();
        redis.commands().flushall();
        Users.load(redis, USERS);
    }

    @ParameterizedTest(name = "--write-mode={0}")
    @ValueSource(strings = {"conditional", "overwrite"})
    void everyRewrittenFieldKeepsItsTtl(String writeMode) throws Exception {
        // Every user gets updated_at (created_at's text, or a datetime where created_at is missing) and session, both
        // with a one-hour TTL; every other user's created_at gets one too, the others' stays persistent.
        Map<String, Map<String, String>> loaded = Users.snapshot(redis, Users.PATTERN);
        UserFields.onEveryUser(redis, loaded.keySet(), (commands, key, index) -> {
            String updatedAt = loaded.get(key).getOrDefault("created_at", "2024-01-15T10:30:00Z");
            commands.hset(key, Map.of("updated_at", updatedAt, "session", "s" + index));
            return index % 2 == 0
                    ? commands.hpexpire(key, ONE_HOUR_MS, FIELDS)
                    : commands.hpexpire(key, ONE_HOUR_MS, "updated_at", "session");
        });
        Map<String, List<Long>> expiryBefore = UserFields.expiryTimes(redis, loaded.keySet(), FIELDS);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);

        InProcessRun run = InProcessRun.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at,updated_at",
                "--write-mode=" + writeMode,
                "--partitions=4",
                "--threads=2");

        assertThat(run.exitCode()).isZero();
        Map<String, Map<String, String>> after = Users.snapshot(redis, Users.PATTERN);
        assertThat(after).hasSize(USERS);
        assertThat(Users.wronglyMigrated(before, after)).isZero();
        assertThat(Users.wronglyMigrated(updatedAtAsCreatedAt(before), updatedAtAsCreatedAt(after)))
                .isZero();
        long rewritten = before.keySet().stream()
                .filter(key -> !before.get(key).equals(after.get(key)))
                .count();
        assertThat(rewritten).as("users whose fields were rewritten").isEqualTo(USERS);
        Map<String, String> record =
                redis.commands().hgetall(MigrationKind.DATA.recordKey(DatetimeFieldsToTimestamps.ID));
        assertThat(Long.parseLong(record.get("changed"))).isEqualTo(rewritten);

        Map<String, List<Long>> expiryAfter = UserFields.expiryTimes(redis, loaded.keySet(), FIELDS);
        long ttlsChanged = expiryBefore.keySet().stream()
                .filter(key -> !expiryBefore.get(key).equals(expiryAfter.get(key)))
                .count();
        assertThat(ttlsChanged).as("users whose field TTLs changed").isZero();
        long fieldsWithTtl = expiryAfter.values().stream()
                .flatMap(List::stream)
                .filter(time -> time > 0)
                .count();
        assertThat(fieldsWithTtl).isGreaterThan(USERS * 2 + USERS / 3);
    }

    /** Each user's updated_at under the name created_at, for {@link Users#wronglyMigrated}. */
    private static Map<String, Map<String, String>> updatedAtAsCreatedAt(Map<String, Map<String, String>> users) {
        Map<String, Map<String, String>> renamed = new HashMap<>();
        users.forEach((key, user) -> renamed.put(key, Map.of("created_at", user.get("updated_at"))));
        return renamed;
    }
}
