package dev.redisombatch.batch.data.store;

import static dev.redisombatch.batch.data.EngineFixture.bytes;
import static dev.redisombatch.batch.data.EngineFixture.text;
import static dev.redisombatch.batch.support.TestBytes.bytes;
import static dev.redisombatch.batch.support.TestBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.data.EngineFixture;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.migration.Change;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code hash-conditional-write.lua} through {@link WriteScript}: what each status means, that a gone key is never
 * recreated, TTLs, conditional DEL, the changed counter, NOSCRIPT, large changes, and blind writes.
 */
class WriteScriptTest {

    private static final String COUNTER_KEY = ChangedCounter.KEY_PREFIX + "m1";
    private static final String COUNTER_FIELD = "apply:7";

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    static final EngineFixture fixture = EngineFixture.emptiedForEachTest(redis);

    private final ChangedCounter counter = new ChangedCounter("m1", Direction.APPLY, 7, false);
    private final HashStore whole = new HashStore(Set.of());
    private final HashStore fieldsAB = new HashStore(Set.of("a", "b"));

    private StoredHash read(HashStore store, String key) {
        List<StoredDocument> documents = store.load(fixture.pipeline(), List.of(bytes(key)));
        assertThat(documents).as("%s read", key).hasSize(1);
        return (StoredHash) documents.get(0);
    }

    private static PendingWrite write(StoredDocument stored, Change change) {
        return new PendingWrite(stored, stored.document(), change);
    }

    private List<Object> run(HashStore store, PendingWrite... writes) {
        return new WriteScript(store, WriteMode.CONDITIONAL, counter).run(fixture.pipeline(), List.of(writes));
    }

    private Long counted() {
        String value = redis.commands().hget(COUNTER_KEY, COUNTER_FIELD);
        return value == null ? null : Long.parseLong(value);
    }

    @Test
    void writesWhenNothingChangedSinceTheRead() {
        redis.commands().hset("k", Map.of("a", "1", "b", "2"));
        PendingWrite change = write(
                read(whole, "k"), Change.builder().set("c", "3").remove("b").build());

        assertThat(run(whole, change)).containsExactly(1L);

        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "1", "c", "3"));
        assertThat(counted()).isEqualTo(1L);
    }

    @Test
    void aCopysWritesRestoreTheKeyOrFindItThereWriteBlindlyInEitherModeAndNeverCreateAGoneOne() {
        redis.commands().hset("k", Map.of("a", "1", "b", "2"));
        StoredHash stored = read(fieldsAB, "k");
        byte[] payload = fixture.pipeline().await(dump("k"));
        long inAnHour = System.currentTimeMillis() + 3_600_000;
        redis.commands().del("k");
        PendingWrite restoring =
                write(stored, Change.set("b", "two")).restoring(new PendingWrite.Restore(payload, inAnHour));

        // Conditionally too (a batch sent again after a timeout): compared with what the restore put there.
        assertThat(run(fieldsAB, restoring)).containsExactly(1L);
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "1", "b", "two"));
        assertThat(Math.abs(redis.commands().pexpiretime("k") - inAnHour)).isLessThanOrEqualTo(1);
        assertThat(new WriteScript(fieldsAB, WriteMode.OVERWRITE, counter).run(fixture.pipeline(), List.of(restoring)))
                .containsExactly(1L);
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "1", "b", "two"));

        redis.commands().del("k");
        PendingWrite expired = write(stored, Change.set("b", "two"))
                .restoring(new PendingWrite.Restore(payload, System.currentTimeMillis() - 1_000));
        assertThat(run(fieldsAB, expired)).containsExactly(-1L);
        assertThat(redis.commands().exists("k")).isZero();

        // A later write of the same copy: blind where the hash is, never creating it, in either mode.
        PendingWrite later = write(stored, Change.set("c", "3")).restoring(PendingWrite.Restore.EARLIER);
        assertThat(run(fieldsAB, later)).containsExactly(-1L);
        assertThat(redis.commands().exists("k")).isZero();
        redis.commands().set("k", "a string");
        assertThat(run(fieldsAB, later)).containsExactly(-2L);
        redis.commands().del("k");
        redis.commands().hset("k", Map.of("a", "changed since"));
        assertThat(new WriteScript(fieldsAB, WriteMode.OVERWRITE, counter).run(fixture.pipeline(), List.of(later)))
                .containsExactly(1L);
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "changed since", "c", "3"));
    }

    @Test
    void aCopysRestoredAndLaterWritesOfMoreThanNineFieldsAreFollowedByTheNextDocument() {
        // More than nine fields set: the counts go apart from the header, and the restore's entries follow them.
        for (String key : List.of("restored", "later")) {
            redis.commands().hset(key, Map.of("a", "1"));
        }
        redis.commands().hset("short", Map.of("a", "1", "b", "2"));
        StoredHash stored = read(fieldsAB, "restored");
        byte[] payload = fixture.pipeline().await(dump("restored"));
        redis.commands().del("restored");
        Change.Builder tenFields = Change.builder();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("a", "1");
        for (int i = 0; i < 10; i++) {
            tenFields.set("f" + i, "v" + i);
            expected.put("f" + i, "v" + i);
        }
        PendingWrite restoring = write(stored, tenFields.build()).restoring(new PendingWrite.Restore(payload, 0));
        PendingWrite later = write(read(fieldsAB, "later"), tenFields.build()).restoring(PendingWrite.Restore.EARLIER);
        PendingWrite shortHeader = write(read(fieldsAB, "short"), Change.set("b", "two"));

        assertThat(run(fieldsAB, restoring, later, shortHeader)).containsExactly(1L, 1L, 1L);
        assertThat(redis.commands().hgetall("restored")).isEqualTo(expected);
        assertThat(redis.commands().ttl("restored"))
                .as("restored without an expiry")
                .isEqualTo(-1L);
        assertThat(redis.commands().hgetall("later")).isEqualTo(expected);
        assertThat(redis.commands().hgetall("short")).isEqualTo(Map.of("a", "1", "b", "two"));
    }

    private io.lettuce.core.RedisFuture<byte[]> dump(String key) {
        io.lettuce.core.RedisFuture<byte[]> reply = fixture.pipeline().reads().dump(bytes(key));
        fixture.pipeline().flush();
        return reply;
    }

    @Test
    void aChangedValueIsNotWritten() {
        redis.commands().hset("k", Map.of("a", "1", "b", "2"));
        PendingWrite wholeChange = write(read(whole, "k"), Change.set("c", "3"));
        PendingWrite fieldsChange = write(read(fieldsAB, "k"), Change.set("c", "3"));
        redis.commands().hset("k", "a", "changed");

        assertThat(run(whole, wholeChange)).containsExactly(0L);
        assertThat(run(fieldsAB, fieldsChange)).containsExactly(0L);

        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "changed", "b", "2"));
        assertThat(counted()).isNull();
    }

    @Test
    void aReadFieldThatWasAbsentAndAppearedIsAChange() {
        redis.commands().hset("k", Map.of("a", "1"));
        StoredHash stored = read(fieldsAB, "k");
        assertThat(stored.values()[1]).as("b absent when read").isNull();
        redis.commands().hset("k", "b", "new");

        assertThat(run(fieldsAB, write(stored, Change.set("a", "2")))).containsExactly(0L);
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "1", "b", "new"));
    }

    @Test
    void aReadFieldThatWasRemovedIsAChange() {
        redis.commands().hset("k", Map.of("a", "1", "b", "2"));
        StoredHash stored = read(fieldsAB, "k");
        redis.commands().hdel("k", "b");

        assertThat(run(fieldsAB, write(stored, Change.set("a", "2")))).containsExactly(0L);
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "1"));
    }

    @Test
    void anEmptyValueReadIsNotTheSameAsAnAbsentField() {
        redis.commands().hset("k", Map.of("a", "", "z", "1"));
        StoredHash stored = read(fieldsAB, "k");
        assertThat(run(fieldsAB, write(stored, Change.set("a", "filled")))).containsExactly(1L);
        assertThat(redis.commands().hget("k", "a")).isEqualTo("filled");

        redis.commands().hset("k2", Map.of("a", "", "z", "1"));
        StoredHash stored2 = read(fieldsAB, "k2");
        redis.commands().hdel("k2", "a");
        assertThat(run(fieldsAB, write(stored2, Change.set("b", "x")))).containsExactly(0L);
        assertThat(redis.commands().hgetall("k2")).isEqualTo(Map.of("z", "1"));
    }

    @Test
    void inFieldsModeAChangeToAFieldNotReadDoesNotMatter() {
        redis.commands().hset("k", Map.of("a", "1", "b", "2", "z", "old"));
        StoredHash stored = read(fieldsAB, "k");
        redis.commands().hset("k", Map.of("z", "new", "y", "added"));

        assertThat(run(fieldsAB, write(stored, Change.set("a", "2")))).containsExactly(1L);
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "2", "b", "2", "z", "new", "y", "added"));
    }

    @Test
    void inWholeDocumentModeAnAddedOrRemovedFieldIsAChange() {
        redis.commands().hset("added", Map.of("a", "1"));
        redis.commands().hset("removed", Map.of("a", "1", "z", "2"));
        PendingWrite added = write(read(whole, "added"), Change.set("a", "2"));
        PendingWrite removed = write(read(whole, "removed"), Change.set("a", "2"));
        redis.commands().hset("added", "z", "new");
        redis.commands().hdel("removed", "z");

        assertThat(run(whole, added, removed)).containsExactly(0L, 0L);
        assertThat(redis.commands().hgetall("added")).isEqualTo(Map.of("a", "1", "z", "new"));
        assertThat(redis.commands().hgetall("removed")).isEqualTo(Map.of("a", "1"));
    }

    @Test
    void aDeletedKeyIsGoneAndNotRecreated() {
        redis.commands().hset("k", Map.of("a", "1"));
        PendingWrite wholeChange = write(read(whole, "k"), Change.set("a", "2"));
        PendingWrite fieldsChange = write(read(fieldsAB, "k"), Change.set("a", "2"));
        redis.commands().del("k");

        assertThat(run(whole, wholeChange)).containsExactly(-1L);
        assertThat(run(fieldsAB, fieldsChange)).containsExactly(-1L);
        assertThat(redis.commands().exists("k")).isZero();
        assertThat(counted()).isNull();
    }

    @Test
    void anExpiredKeyIsGoneAndNotRecreated() throws InterruptedException {
        redis.commands().hset("k", Map.of("a", "1"));
        PendingWrite change = write(read(whole, "k"), Change.set("a", "2"));
        redis.commands().pexpire("k", 1);
        Thread.sleep(20);

        assertThat(run(whole, change)).containsExactly(-1L);
        assertThat(redis.commands().exists("k")).isZero();
    }

    @Test
    void aKeyReplacedByAnotherTypeIsReportedAndLeftAlone() {
        redis.commands().hset("k", Map.of("a", "1"));
        PendingWrite change = write(read(whole, "k"), Change.set("a", "2"));
        redis.commands().del("k");
        redis.commands().set("k", "a string now");

        assertThat(run(whole, change)).containsExactly(-2L);
        assertThat(redis.commands().get("k")).isEqualTo("a string now");
        assertThat(counted()).isNull();
    }

    @Test
    void inFieldsModeGoneAndReplacedKeysAreToldApartWhetherTheFieldsReadWereThereOrNot() {
        redis.commands().hset("with", Map.of("a", "1"));
        redis.commands().hset("without", Map.of("z", "1"));
        redis.commands().hset("replaced", Map.of("a", "1"));
        redis.commands().hset("replacedWithout", Map.of("z", "1"));
        PendingWrite with = write(read(fieldsAB, "with"), Change.set("a", "2"));
        PendingWrite without = write(read(fieldsAB, "without"), Change.set("a", "2"));
        PendingWrite replaced = write(read(fieldsAB, "replaced"), Change.set("a", "2"));
        PendingWrite replacedWithout = write(read(fieldsAB, "replacedWithout"), Change.set("a", "2"));
        redis.commands().del("with", "without", "replaced", "replacedWithout");
        redis.commands().set("replaced", "a string now");
        redis.commands().set("replacedWithout", "a string now");

        assertThat(run(fieldsAB, with, without, replaced, replacedWithout)).containsExactly(-1L, -1L, -2L, -2L);
        assertThat(redis.commands().exists("with", "without")).isZero();
        assertThat(redis.commands().get("replaced")).isEqualTo("a string now");
        assertThat(counted()).isNull();
    }

    @Test
    void aWrittenKeyKeepsItsTtl() {
        redis.commands().hset("k", Map.of("a", "1"));
        redis.commands().pexpire("k", 100_000);
        PendingWrite change = write(
                read(whole, "k"), Change.builder().set("a", "2").set("b", "3").build());

        assertThat(run(whole, change)).containsExactly(1L);

        assertThat(redis.commands().pttl("k")).isBetween(90_000L, 100_000L);
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "2", "b", "3"));
    }

    @Test
    void keepingFieldTtlsOnAServerWithoutFieldExpirationWritesAsUsual() {
        // A server that would not say whether it knows HPEXPIRETIME is asked to keep field TTLs; this one (Redis 7.0)
        // has none to keep.
        HashStore keepingTtls = new HashStore(Set.of(), () -> true);
        redis.commands().hset("k", Map.of("a", "1"));
        PendingWrite change = write(
                read(keepingTtls, "k"),
                Change.builder().set("a", "2").set("b", "3").build());

        assertThat(run(keepingTtls, change)).containsExactly(1L);
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "2", "b", "3"));
    }

    @Test
    void anExpiryAskedOfAServerWithoutFieldExpirationIsRefusedBeforeAnythingIsWritten() {
        // Asked by a store that was told the server has it (a server that would not say): the script finds out.
        HashStore keepingTtls = new HashStore(Set.of(), () -> true);
        redis.commands().hset("k", Map.of("a", "1"));
        PendingWrite change = write(
                read(keepingTtls, "k"),
                Change.builder()
                        .set("a", "2")
                        .expireAt("a", Instant.parse("2100-01-01T00:00:00Z"))
                        .build());

        List<Object> statuses = run(keepingTtls, change);

        assertThat(text((byte[]) statuses.get(0)))
                .isEqualTo("this Redis has no hash field expiration (HPEXPIRETIME,"
                        + " Redis 7.4 or later): the expiry of field a cannot be set or cleared; not written");
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "1"));
        assertThat(counted()).isNull();
    }

    @Test
    void aStoreOnAServerWithoutFieldExpirationSaysItCannotWriteAnExpiry() {
        assertThat(whole.cannotWrite(
                        Change.builder().set("a", "1").persist("session").build()))
                .isEqualTo("the transform sets or clears the expiry of field session, but this Redis has no hash"
                        + " field expiration (Redis 7.4 or later)");
        assertThat(whole.cannotWrite(Change.set("a", "1"))).isNull();
        assertThat(new HashStore(Set.of(), () -> true).cannotWrite(Change.persist("session")))
                .isNull();
    }

    @Test
    void deletingTheKeyIsConditionalTheSameWay() {
        redis.commands().hset("same", Map.of("a", "1"));
        redis.commands().hset("changed", Map.of("a", "1"));
        redis.commands().hset("gone", Map.of("a", "1"));
        PendingWrite same = write(read(whole, "same"), Change.deleteKey());
        PendingWrite changed = write(read(whole, "changed"), Change.deleteKey());
        PendingWrite gone = write(read(whole, "gone"), Change.deleteKey());
        redis.commands().hset("changed", "a", "2");
        redis.commands().del("gone");

        assertThat(run(whole, same, changed, gone)).containsExactly(1L, 0L, -1L);

        assertThat(redis.commands().exists("same")).isZero();
        assertThat(redis.commands().hgetall("changed")).isEqualTo(Map.of("a", "2"));
        assertThat(redis.commands().exists("gone")).isZero();
        assertThat(counted()).isEqualTo(1L);
    }

    @Test
    void theCounterIsIncrementedByExactlyTheNumberWritten() {
        for (String key : List.of("w1", "w2", "w3", "changed", "gone", "typed", "w4", "w5")) {
            redis.commands().hset(key, Map.of("a", "1"));
        }
        PendingWrite[] batch = List.of("w1", "changed", "gone", "typed", "w2", "w3").stream()
                .map(key -> write(read(whole, key), Change.set("a", "2")))
                .toArray(PendingWrite[]::new);
        redis.commands().hset("changed", "a", "x");
        redis.commands().del("gone");
        redis.commands().del("typed");
        redis.commands().sadd("typed", "m");

        assertThat(run(whole, batch)).containsExactly(1L, 0L, -1L, -2L, 1L, 1L);
        assertThat(counted()).isEqualTo(3L);

        assertThat(run(
                        whole,
                        write(read(whole, "w4"), Change.set("a", "2")),
                        write(read(whole, "w5"), Change.set("a", "2"))))
                .containsExactly(1L, 1L);
        assertThat(counted()).isEqualTo(5L);
        assertThat(counter.read(fixture.endpoint())).isEqualTo(5L);
        // Nothing else in the counter hash.
        assertThat(redis.commands().hgetall(COUNTER_KEY)).isEqualTo(Map.of(COUNTER_FIELD, "5"));

        // A batch that writes nothing leaves it alone.
        redis.commands().del("w1");
        assertThat(run(whole, batch[0], batch[1])).containsExactly(-1L, 0L);
        assertThat(counted()).isEqualTo(5L);

        counter.clear(fixture.endpoint());
        assertThat(counter.read(fixture.endpoint())).isEqualTo(-1L);
    }

    @Test
    void worksAfterScriptFlush() {
        redis.commands().hset("k1", Map.of("a", "1"));
        redis.commands().hset("k2", Map.of("a", "1"));
        WriteScript script = new WriteScript(whole, WriteMode.CONDITIONAL, counter);
        // First use: the server does not know the script yet (NOSCRIPT), so it is loaded.
        assertThat(script.run(fixture.pipeline(), List.of(write(read(whole, "k1"), Change.set("a", "2")))))
                .containsExactly(1L);

        redis.commands().scriptFlush();

        assertThat(script.run(fixture.pipeline(), List.of(write(read(whole, "k2"), Change.set("a", "2")))))
                .containsExactly(1L);
        assertThat(redis.commands().hget("k2", "a")).isEqualTo("2");
        assertThat(counted()).isEqualTo(2L);
    }

    @Test
    void aChangeSettingOrRemovingThousandsOfFieldsIsWrittenInSlices() {
        redis.commands().hset("k", Map.of("keep", "1"));
        Change.Builder set = Change.builder();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("keep", "1");
        for (int i = 0; i < 3000; i++) {
            set.set("f" + i, "v" + i);
            expected.put("f" + i, "v" + i);
        }

        assertThat(run(whole, write(read(whole, "k"), set.build()))).containsExactly(1L);
        assertThat(redis.commands().hgetall("k")).isEqualTo(expected);

        // The whole 3001-field document read back and compared, then 3000 fields removed in one change.
        Change.Builder remove = Change.builder();
        for (int i = 0; i < 3000; i++) {
            remove.remove("f" + i);
        }
        StoredHash big = read(whole, "k");
        assertThat(big.fieldNames()).hasNumberOfRows(3001);
        assertThat(run(whole, write(big, remove.build()))).containsExactly(1L);
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("keep", "1"));
        assertThat(counted()).isEqualTo(2L);
    }

    @Test
    void documentsWhoseCountsTakeTheLongHeaderAndTheShortOneMixInABatch() {
        // A count above 9 sends the four counts apart from the header: each document's entries must still be found.
        Map<String, String> nineFields = new LinkedHashMap<>();
        Map<String, String> tenFields = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            tenFields.put("f" + i, "v" + i);
            if (i < 9) {
                nineFields.put("f" + i, "v" + i);
            }
        }
        for (String key : List.of("long1", "long2")) {
            redis.commands().hset(key, tenFields);
        }
        for (String key : List.of("short1", "short2")) {
            redis.commands().hset(key, nineFields);
        }
        PendingWrite long1 = write(read(whole, "long1"), Change.set("f0", "new"));
        PendingWrite short1 = write(read(whole, "short1"), Change.set("f0", "new"));
        PendingWrite long2 = write(read(whole, "long2"), Change.set("f0", "new"));
        PendingWrite short2 = write(read(whole, "short2"), Change.set("f0", "new"));
        redis.commands().hset("long2", "f9", "changed");
        redis.commands().hset("short2", "f8", "changed");

        assertThat(run(whole, long1, short1, long2, short2)).containsExactly(1L, 1L, 0L, 0L);
        assertThat(redis.commands().hget("long1", "f0")).isEqualTo("new");
        assertThat(redis.commands().hget("short1", "f0")).isEqualTo("new");
        assertThat(redis.commands().hget("long2", "f0")).isEqualTo("v0");
        assertThat(redis.commands().hget("short2", "f0")).isEqualTo("v0");
        assertThat(counted()).isEqualTo(2L);
    }

    @Test
    void bytesThatAreNotUtf8AreComparedExactly() {
        byte[] key = concat(bytes("bin:"), bytes(0xff, 0xfe));
        byte[] latin1 = concat(bytes("lat"), bytes(0xe9), bytes("in1"));
        fixture.other().hset(key, Map.of(bytes("raw"), latin1, bytes("a"), bytes("1")));
        StoredHash stored =
                (StoredHash) whole.load(fixture.pipeline(), List.of(key)).get(0);
        // The migration only reads "a"; "raw" is compared as bytes, never decoded.
        PendingWrite change = new PendingWrite(stored, null, Change.set("a", "2"));

        assertThat(run(whole, change)).containsExactly(1L);
        assertThat(fixture.other().hget(key, bytes("raw"))).isEqualTo(latin1);
        assertThat(text(fixture.other().hget(key, bytes("a")))).isEqualTo("2");

        StoredHash again =
                (StoredHash) whole.load(fixture.pipeline(), List.of(key)).get(0);
        fixture.other().hset(key, bytes("raw"), concat(bytes("lat"), bytes(0xe8), bytes("in1")));
        assertThat(run(whole, new PendingWrite(again, null, Change.set("a", "3"))))
                .containsExactly(0L);
        assertThat(text(fixture.other().hget(key, bytes("a")))).isEqualTo("2");
    }

    @Test
    void aWriteRedisRefusesComesBackAsItsErrorText() {
        redis.commands().hset("refused", Map.of("a", "1"));
        PendingWrite change = write(read(whole, "refused"), Change.set("a", "2"));
        redis.commands().configSet("maxmemory", "1");
        try {
            List<Object> statuses = run(whole, change);
            assertThat(statuses).hasSize(1);
            assertThat(statuses.get(0)).isInstanceOf(byte[].class);
            assertThat(text((byte[]) statuses.get(0))).contains("OOM");
        } finally {
            redis.commands().configSet("maxmemory", "0");
        }
        assertThat(redis.commands().hget("refused", "a")).isEqualTo("1");
        assertThat(counted()).isNull();
    }

    @Test
    void overwriteWritesBlindlyWhateverHappenedSinceTheReadAndCounts() {
        redis.commands().hset("changed", Map.of("a", "1", "b", "1"));
        redis.commands().hset("deleted", Map.of("a", "1"));
        redis.commands().hset("removed", Map.of("a", "1", "z", "1"));
        redis.commands().hset("typed", Map.of("a", "1"));
        PendingWrite changed = write(read(fieldsAB, "changed"), Change.set("a", "2"));
        PendingWrite deleted = write(read(whole, "deleted"), Change.set("a", "2"));
        PendingWrite removed =
                write(read(whole, "removed"), Change.builder().remove("z").build());
        PendingWrite typed = write(read(whole, "typed"), Change.set("a", "2"));
        redis.commands().hset("changed", "a", "app");
        redis.commands().del("deleted");
        redis.commands().del("typed");
        redis.commands().set("typed", "a string now");

        List<Object> statuses = new WriteScript(whole, WriteMode.OVERWRITE, counter)
                .run(fixture.pipeline(), List.of(changed, deleted, removed, typed));

        assertThat(statuses.subList(0, 3)).containsExactly(1L, 1L, 1L);
        assertThat(text((byte[]) statuses.get(3))).startsWith("WRONGTYPE");
        // What --write-mode=overwrite documents: the application's newer value is lost, the deleted key comes back.
        assertThat(redis.commands().hgetall("changed")).isEqualTo(Map.of("a", "2", "b", "1"));
        assertThat(redis.commands().hgetall("deleted")).isEqualTo(Map.of("a", "2"));
        assertThat(redis.commands().hgetall("removed")).isEqualTo(Map.of("a", "1"));
        assertThat(redis.commands().get("typed")).isEqualTo("a string now");
        assertThat(counted()).isEqualTo(3L);
    }

    @Test
    void overwriteDeletesBlindly() {
        redis.commands().hset("k", Map.of("a", "1"));
        PendingWrite delete = write(read(whole, "k"), Change.deleteKey());
        redis.commands().hset("k", "a", "app");

        assertThat(new WriteScript(whole, WriteMode.OVERWRITE, counter).run(fixture.pipeline(), List.of(delete)))
                .containsExactly(1L);
        assertThat(redis.commands().exists("k")).isZero();
    }
}
