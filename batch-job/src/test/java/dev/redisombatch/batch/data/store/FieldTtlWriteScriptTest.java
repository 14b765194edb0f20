package dev.redisombatch.batch.data.store;

import static dev.redisombatch.batch.data.EngineFixture.bytes;
import static dev.redisombatch.batch.data.EngineFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.data.EngineFixture;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.migration.Change;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code hash-conditional-write.lua} keeping field TTLs on a server with hash field expiration
 * ({@code REDIS_HFE_SERVER}, Redis 7.4+): changes of thousands of fields with several expiry times, in both modes;
 * and setting or clearing the expiry times a migration asks for.
 */
class FieldTtlWriteScriptTest {

    private static final long HOUR_MS = 3_600_000;

    @RegisterExtension
    static final RedisServer redis = RedisServer.withFieldExpiration();

    @RegisterExtension
    static final EngineFixture fixture = EngineFixture.emptiedForEachTest(redis);

    private final HashStore keepingTtls = new HashStore(Set.of(), () -> true);
    private final ChangedCounter counter = new ChangedCounter("m1", Direction.APPLY, 7, false);

    private List<Object> run(WriteMode mode, String key, Change change) {
        StoredDocument stored =
                keepingTtls.load(fixture.pipeline(), List.of(bytes(key))).get(0);
        return new WriteScript(keepingTtls, mode, counter)
                .run(fixture.pipeline(), List.of(new PendingWrite(stored, stored.document(), change)));
    }

    @Test
    void thousandsOfRewrittenFieldsKeepTheirSeveralExpiryTimes() {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < 2500; i++) {
            fields.put("f" + i, "v" + i);
        }
        redis.commands().hset("k", fields);
        // One expiry time for every third field, another for the next third, none for the rest.
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            (i % 3 == 0 ? first : second).add("f" + i);
        }
        redis.commands().hpexpire("k", HOUR_MS, first.toArray(String[]::new));
        redis.commands()
                .hpexpire("k", 2 * HOUR_MS, second.subList(0, second.size() / 2).toArray(String[]::new));
        String[] names = fields.keySet().toArray(String[]::new);
        List<Long> before = redis.commands().hpexpiretime("k", names);
        Change.Builder everyField = Change.builder();
        fields.keySet().forEach(field -> everyField.set(field, "new"));

        assertThat(run(WriteMode.CONDITIONAL, "k", everyField.build())).containsExactly(1L);
        assertThat(redis.commands().hpexpiretime("k", names)).isEqualTo(before);
        assertThat(redis.commands().hvals("k")).containsOnly("new");

        Change.Builder again = Change.builder();
        fields.keySet().forEach(field -> again.set(field, "again"));
        assertThat(run(WriteMode.OVERWRITE, "k", again.build())).containsExactly(1L);
        assertThat(redis.commands().hpexpiretime("k", names)).isEqualTo(before);
        assertThat(before.stream().filter(time -> time > 0).count()).isEqualTo(first.size() + second.size() / 2);
    }

    /**
     * In the millisecond a field's TTL passes, HGET still gives the field while HPEXPIRETIME says it has none: written
     * then, the field lost its TTL and stayed for good. Here a migration rewrites a field due to expire, over and over
     * while a read still gives it; the script deletes it when it finds it in that millisecond (the HDEL counted below
     * shows the rounds reached it), and no round may leave it behind.
     */
    @Test
    void aFieldInTheMillisecondOfItsExpiryIsNotWrittenOrKeptWithoutItsTtl() {
        redis.commands().configResetstat();
        int rounds = 0;
        List<String> kept = new ArrayList<>();
        while (rounds < 10 || (redis.calls("hdel") == 0 && rounds < 300)) {
            String key = "expiring:" + rounds++;
            redis.commands().hset(key, Map.of("f", "v", "other", "x"));
            long dueAt = serverMillis() + 15;
            redis.commands().hpexpireat(key, Instant.ofEpochMilli(dueAt), "f");
            // Until a read no longer gives the field, or (a field kept without its TTL) well past its expiry.
            while (serverMillis() < dueAt + 50) {
                StoredDocument stored = keepingTtls
                        .load(fixture.pipeline(), List.of(bytes(key)))
                        .get(0);
                if (!stored.document().fields().containsKey("f")) {
                    break;
                }
                new WriteScript(keepingTtls, WriteMode.CONDITIONAL, counter)
                        .run(
                                fixture.pipeline(),
                                List.of(new PendingWrite(stored, stored.document(), Change.set("f", "w"))));
            }
            while (serverMillis() <= dueAt) {
                Thread.onSpinWait();
            }
            if (redis.commands().hexists(key, "f")) {
                kept.add(key + " (TTL " + redis.commands().httl(key, "f") + ")");
            }
        }

        assertThat(kept)
                .as("fields kept past their expiry, of %d rounds", rounds)
                .isEmpty();
        assertThat(redis.calls("hdel"))
                .as("writes that met a field in its expiry's millisecond")
                .isPositive();
    }

    private static long serverMillis() {
        List<String> time = redis.commands().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    @Test
    void aBlindWriteOfAKeyGoneOrOfAnotherTypeSinceTheReadIsAsWithoutTtls() {
        redis.commands().hset("gone", "a", "1");
        redis.commands().hset("typed", "a", "1");
        StoredDocument gone =
                keepingTtls.load(fixture.pipeline(), List.of(bytes("gone"))).get(0);
        StoredDocument typed =
                keepingTtls.load(fixture.pipeline(), List.of(bytes("typed"))).get(0);
        redis.commands().del("gone", "typed");
        redis.commands().set("typed", "a string now");
        // Known to the server: a batch sent again after NOSCRIPT goes conditionally, which is not what this tests.
        redis.commands().scriptLoad(keepingTtls.writeScript());

        List<Object> statuses = new WriteScript(keepingTtls, WriteMode.OVERWRITE, counter)
                .run(
                        fixture.pipeline(),
                        List.of(
                                new PendingWrite(gone, gone.document(), Change.set("a", "2")),
                                new PendingWrite(typed, typed.document(), Change.set("a", "2"))));

        assertThat(statuses.get(0)).isEqualTo(1L);
        assertThat(text((byte[]) statuses.get(1))).startsWith("WRONGTYPE");
        assertThat(redis.commands().hgetall("gone")).isEqualTo(Map.of("a", "2"));
        assertThat(redis.commands().get("typed")).isEqualTo("a string now");
    }

    private static final Instant AT = Instant.parse("2100-01-01T00:00:00.123Z");

    private String counted() {
        return redis.commands().hget(ChangedCounter.KEY_PREFIX + "m1", "apply:7");
    }

    @Test
    void anExpiryAskedIsSetOverTheKeptOneAndAPersistClearsOneInBothModes() {
        for (WriteMode mode : WriteMode.values()) {
            redis.commands().flushall();
            redis.commands().hset("k", Map.of("a", "1", "b", "2", "c", "3", "d", "4"));
            redis.commands().hpexpire("k", HOUR_MS, "a", "b", "c");
            List<Long> before = redis.commands().hpexpiretime("k", "a", "b", "c", "d");
            Change change = Change.builder()
                    .set("a", "10")
                    .expireAt("a", AT)
                    .persist("b")
                    .set("c", "30")
                    .expireAt("e", AT)
                    .set("e", "5")
                    .build();

            assertThat(run(mode, "k", change)).as("%s", mode).containsExactly(1L);

            assertThat(redis.commands().hgetall("k"))
                    .isEqualTo(Map.of("a", "10", "b", "2", "c", "30", "d", "4", "e", "5"));
            assertThat(redis.commands().hpexpiretime("k", "a", "b", "c", "d", "e"))
                    .as("%s", mode)
                    .containsExactly(AT.toEpochMilli(), -1L, before.get(2), -1L, AT.toEpochMilli());
        }
    }

    @Test
    void expiryTimesAlreadyAsAskedAreNothingToWriteAndNotCounted() {
        redis.commands().hset("k", Map.of("a", "1", "b", "2"));
        redis.commands().hpexpireat("k", AT.toEpochMilli(), "a");
        Change asked = Change.builder().expireAt("a", AT).persist("b").build();

        assertThat(run(WriteMode.CONDITIONAL, "k", asked)).containsExactly(2L);
        assertThat(run(WriteMode.OVERWRITE, "k", asked)).containsExactly(2L);
        assertThat(counted()).isNull();

        assertThat(run(WriteMode.CONDITIONAL, "k", Change.persist("a"))).containsExactly(1L);
        assertThat(redis.commands().hpexpiretime("k", "a", "b")).containsExactly(-1L, -1L);
        assertThat(counted()).isEqualTo("1");
    }

    @Test
    void anInstantAlreadyPastDeletesTheFieldAsRedisDoes() {
        redis.commands().hset("k", Map.of("a", "1", "b", "2"));

        assertThat(run(WriteMode.CONDITIONAL, "k", Change.expireAt("a", Instant.parse("2020-01-01T00:00:00Z"))))
                .containsExactly(1L);

        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("b", "2"));
    }
}
