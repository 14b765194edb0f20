package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        assertThat(redis.commands().commandInfo("HPEXPIRETIME")).as("REDIS_HFE_SERVER must be Redis 7.4 or later")
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
        onEveryUser(loaded.keySet(), (redis, key, index) -> {
            String updatedAt = loaded.get(key).getOrDefault("created_at", "2024-01-15T10:30:00Z");
            redis.hset(key, Map.of("updated_at", updatedAt, "session", "s" + index));
            return index % 2 == 0 ? redis.hpexpire(key, ONE_HOUR_MS, FIELDS)
                    : redis.hpexpire(key, ONE_HOUR_MS, "updated_at", "session");
        });
        Map<String, List<Long>> expiryBefore = expiryTimes(loaded.keySet());
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);

        InProcessRun run = InProcessRun.of("--job=migrateData", "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"), "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at,updated_at", "--write-mode=" + writeMode, "--partitions=4",
                "--threads=2");

        assertThat(run.exitCode()).isZero();
        Map<String, Map<String, String>> after = Users.snapshot(redis, Users.PATTERN);
        assertThat(after).hasSize(USERS);
        assertThat(Users.wronglyMigrated(before, after)).isZero();
        assertThat(Users.wronglyMigrated(updatedAtAsCreatedAt(before), updatedAtAsCreatedAt(after))).isZero();
        long rewritten = before.keySet().stream().filter(key -> !before.get(key).equals(after.get(key))).count();
        assertThat(rewritten).as("users whose fields were rewritten").isEqualTo(USERS);
        Map<String, String> record = redis.commands().hgetall(
                MigrationKind.DATA.recordKey(DatetimeFieldsToTimestamps.ID));
        assertThat(Long.parseLong(record.get("changed"))).isEqualTo(rewritten);

        Map<String, List<Long>> expiryAfter = expiryTimes(loaded.keySet());
        long ttlsChanged = expiryBefore.keySet().stream()
                .filter(key -> !expiryBefore.get(key).equals(expiryAfter.get(key))).count();
        assertThat(ttlsChanged).as("users whose field TTLs changed").isZero();
        long fieldsWithTtl = expiryAfter.values().stream().flatMap(List::stream).filter(time -> time > 0).count();
        assertThat(fieldsWithTtl).isGreaterThan(USERS * 2 + USERS / 3);
    }

    /** Each user's updated_at under the name created_at, for {@link Users#wronglyMigrated}. */
    private static Map<String, Map<String, String>> updatedAtAsCreatedAt(Map<String, Map<String, String>> users) {
        Map<String, Map<String, String>> renamed = new HashMap<>();
        users.forEach((key, user) -> renamed.put(key, Map.of("created_at", user.get("updated_at"))));
        return renamed;
    }

    /** Each user's expiry times (Unix ms; -1 for none) of {@link #FIELDS}, in that order. */
    private static Map<String, List<Long>> expiryTimes(Iterable<String> keys) throws Exception {
        Map<String, RedisFuture<List<Long>>> replies = new HashMap<>();
        onEveryUser(keys, (redis, key, index) -> {
            RedisFuture<List<Long>> times = redis.hpexpiretime(key, FIELDS);
            replies.put(key, times);
            return times;
        });
        Map<String, List<Long>> times = new HashMap<>();
        for (Map.Entry<String, RedisFuture<List<Long>>> reply : replies.entrySet()) {
            times.put(reply.getKey(), reply.getValue().get());
        }
        return times;
    }

    private interface UserCommand {
        RedisFuture<?> send(RedisAsyncCommands<String, String> redis, String key, int index);
    }

    /** Sends one command per user, pipelined, and waits for every reply. */
    private static void onEveryUser(Iterable<String> keys, UserCommand command) throws Exception {
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setAutoFlushCommands(false);
            List<RedisFuture<?>> replies = new ArrayList<>(USERS);
            int index = 0;
            for (String key : keys) {
                replies.add(command.send(connection.async(), key, index++));
                if (index % 1000 == 0) {
                    connection.flushCommands();
                }
            }
            connection.flushCommands();
            for (RedisFuture<?> reply : replies) {
                reply.get(30, TimeUnit.SECONDS);
            }
        } finally {
            client.shutdown();
        }
    }
}
