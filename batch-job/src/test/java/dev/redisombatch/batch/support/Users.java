package dev.redisombatch.batch.support;

import dev.redisombatch.batch.demo.DemoUsers;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.RedisSettings;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Redis OM-shaped users for the tests, and an independent check of what the datetime migration must make of them. */
public final class Users {

    public static final String PATTERN = DemoUsers.KEY_PREFIX + "*";

    private Users() {}

    public static void load(RedisServer server, long count) {
        try (RedisEndpoint endpoint = new RedisEndpoint(RedisSettings.of(server.url()))) {
            DemoUsers.write(endpoint, count, 7);
        }
    }

    /**
     * Every hash whose key matches {@code pattern}, read with plain SCAN ... TYPE hash and HGETALL, a page of
     * HGETALLs per round trip (one by one, half a million users took a minute to read).
     */
    public static Map<String, Map<String, String>> snapshot(RedisServer server, String pattern) {
        RedisClient client = RedisClient.create(server.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            Map<String, Map<String, String>> documents = new HashMap<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(
                                cursor,
                                KeyScanArgs.Builder.matches(pattern).limit(1000).type("hash"))
                        .get(30, TimeUnit.SECONDS);
                List<RedisFuture<Map<String, String>>> hashes =
                        new ArrayList<>(page.getKeys().size());
                connection.setAutoFlushCommands(false);
                for (String key : page.getKeys()) {
                    hashes.add(redis.hgetall(key));
                }
                connection.flushCommands();
                connection.setAutoFlushCommands(true);
                for (int i = 0; i < hashes.size(); i++) {
                    documents.put(page.getKeys().get(i), hashes.get(i).get(30, TimeUnit.SECONDS));
                }
                cursor = page;
            } while (!cursor.isFinished());
            return documents;
        } catch (Exception e) {
            throw new IllegalStateException("reading " + pattern, e);
        } finally {
            ClientShutdown.of(client);
        }
    }

    /** Unix seconds for an ISO value as the demo data writes them (naive values and dates in UTC). */
    public static BigDecimal expectedSeconds(String iso) {
        Instant instant;
        if (iso.length() == 10) {
            instant = LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant();
        } else if (iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:\\d\\d$")) {
            instant = OffsetDateTime.parse(iso).toInstant();
        } else {
            instant = LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        }
        return BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9));
    }

    /** The users whose created_at the migration must change. */
    public static long withIsoCreatedAt(Map<String, Map<String, String>> users) {
        return users.values().stream()
                .map(user -> user.get("created_at"))
                .filter(value ->
                        value != null && !value.isBlank() && !value.trim().matches("-?\\d+(\\.\\d+)?"))
                .count();
    }

    /** Counts users whose created_at is not what the migration must make of {@code before}'s value. */
    public static long wronglyMigrated(
            Map<String, Map<String, String>> before, Map<String, Map<String, String>> after) {
        long wrong = 0;
        for (var entry : before.entrySet()) {
            String original = entry.getValue().get("created_at");
            String migrated = after.getOrDefault(entry.getKey(), Map.of()).get("created_at");
            if (original == null) {
                wrong += migrated == null ? 0 : 1;
                continue;
            }
            if (migrated == null
                    || !migrated.matches("-?\\d+\\.\\d+")
                    || new BigDecimal(migrated).compareTo(expectedSeconds(original)) != 0) {
                wrong++;
            }
        }
        return wrong;
    }
}
