package dev.redisombatch.batch.data.store;

import static dev.redisombatch.batch.data.EngineFixture.bytes;
import static dev.redisombatch.batch.support.TestBytes.bytes;
import static dev.redisombatch.batch.support.TestBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.redisombatch.batch.data.EngineFixture;
import dev.redisombatch.batch.redis.CommandName;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.Json;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link JsonStore} and {@code json-conditional-write.lua} against a real RedisJSON ({@link RedisServer#withJson}):
 * bytes kept exactly, legacy paths, what each write status means, a gone document never recreated.
 */
class JsonStoreTest {

    private static final String COUNTER_KEY = ChangedCounter.KEY_PREFIX + "j1";

    @RegisterExtension
    static final RedisServer redis = RedisServer.withJson();

    @RegisterExtension
    static final EngineFixture fixture = EngineFixture.emptiedForEachTest(redis);

    private final ChangedCounter counter = new ChangedCounter("j1", Direction.APPLY, 1, false);
    private final JsonStore whole = new JsonStore(Set.of());

    private static void set(String key, String path, byte[] json) {
        fixture.other()
                .dispatch(
                        new CommandName("JSON.SET"),
                        new StatusOutput<>(ByteArrayCodec.INSTANCE),
                        new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                .addKey(bytes(key))
                                .add(bytes(path))
                                .add(json));
    }

    private static void set(String key, String json) {
        set(key, ".", bytes(json));
    }

    private static String get(String key) {
        byte[] json = fixture.other()
                .dispatch(
                        new CommandName("JSON.GET"),
                        new ValueOutput<>(ByteArrayCodec.INSTANCE),
                        new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                .addKey(bytes(key))
                                .add(bytes("NOESCAPE"))
                                .add(bytes(".")));
        return json == null ? null : EngineFixture.text(json);
    }

    private StoredJson read(JsonStore store, String key) {
        List<StoredDocument> documents = store.load(fixture.pipeline(), List.of(bytes(key)));
        assertThat(documents).as("%s read", key).hasSize(1);
        return (StoredJson) documents.get(0);
    }

    private List<Object> run(PendingWrite... writes) {
        return new WriteScript(whole, WriteMode.CONDITIONAL, counter).run(fixture.pipeline(), List.of(writes));
    }

    private static PendingWrite write(StoredDocument stored, Change change) {
        return new PendingWrite(stored, stored.document(), change);
    }

    @Test
    void readsWholeDocumentsRawAndLeavesOutKeysGoneOrOfAnotherType() {
        set("j:1", "{\"name\":\"Zoë 🚀\",\"n\":1}");
        redis.commands().hset("j:2", "name", "a hash");
        List<StoredDocument> read = whole.load(fixture.pipeline(), List.of(bytes("j:1"), bytes("j:2"), bytes("j:3")));

        assertThat(read).hasSize(1);
        Document document = read.get(0).document();
        assertThat(document.isJson()).isTrue();
        assertThat(document.get("name")).contains("\"Zoë 🚀\"");
    }

    @Test
    void aDocumentThatIsNotUtf8IsRejectedNotRepaired() {
        try {
            set("j:bad", "{\"name\":\"x\"}");
            set("j:bad", ".name", concat(bytes("\""), bytes(0x80), bytes("abc\"")));
        } catch (RedisCommandExecutionException refused) {
            assumeTrue(false, "this RedisJSON refuses bytes that are not UTF-8 (2.x does): " + refused.getMessage());
        }
        StoredJson stored = read(whole, "j:bad");
        assertThatThrownBy(stored::document)
                .isInstanceOf(DocumentRejectedException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void membersReadAreTheTopLevelMembersThePathsStartFrom() {
        set("j:1", "{\"a\":{\"b\":1},\"c\":2,\"d\":[1]}");
        StoredJson stored = read(new JsonStore(Set.of("a.b", "d[0]")), "j:1");

        assertThat(stored.document().fields().keySet()).containsExactly("a", "d");
        assertThat(stored.reads("a.x")).isTrue();
        assertThat(stored.reads("c")).isFalse();
    }

    @Test
    void writesOnlyTheChangedPathsWhenNothingChangedSinceTheRead() {
        set(
                "j:1",
                "{\"pk\":\"1\",\"first-name\":\"Ada\",\"address\":{\"zip\":\"75001\"},\"orders\":[{\"id\":0},"
                        + "{\"id\":1},{\"id\":2},{\"id\":3}],\"old\":true}");
        StoredJson stored = read(whole, "j:1");
        Change change = Change.builder()
                .set("first-name", "\"Ada L\"")
                .set("address.postal_code", "\"75001\"")
                .remove("address.zip")
                .remove("orders[0]")
                .remove("orders[2]")
                .remove("old")
                .build();

        assertThat(run(write(stored, change))).containsExactly(1L);

        String expected = change.applyTo(stored.document()).toJson();
        assertThat(Json.equivalent(get("j:1"), expected))
                .as(get("j:1") + " vs " + expected)
                .isTrue();
        assertThat(get("j:1")).contains("{\"id\":1},{\"id\":3}");
        assertThat(redis.commands().hget(COUNTER_KEY, "apply:1")).isEqualTo("1");
    }

    @Test
    void aDocumentChangedSinceTheReadIsNotWritten() {
        set("j:1", "{\"a\":1,\"b\":2}");
        StoredJson stored = read(whole, "j:1");
        set("j:1", ".b", bytes("3"));

        assertThat(run(write(stored, Change.set("a", "9")))).containsExactly(0L);
        assertThat(get("j:1")).isEqualTo("{\"a\":1,\"b\":3}");
        assertThat(redis.commands().exists(COUNTER_KEY)).isZero();
    }

    @Test
    void aGoneDocumentIsNeverBroughtBackAndOneReplacedByAnotherTypeIsLeft() {
        set("j:1", "{\"a\":1}");
        set("j:2", "{\"a\":1}");
        StoredJson gone = read(whole, "j:1");
        StoredJson replaced = read(whole, "j:2");
        redis.commands().del("j:1");
        redis.commands().del("j:2");
        redis.commands().hset("j:2", "a", "hash now");

        assertThat(run(write(gone, Change.set("a", "2")), write(replaced, Change.set("a", "2"))))
                .containsExactly(-1L, -2L);
        assertThat(redis.commands().exists("j:1")).isZero();
        assertThat(redis.commands().hgetall("j:2")).containsEntry("a", "hash now");
    }

    @Test
    void deletesTheKeyWhenAsked() {
        set("j:1", "{\"a\":1}");
        assertThat(run(write(read(whole, "j:1"), Change.deleteKey()))).containsExactly(1L);
        assertThat(redis.commands().exists("j:1")).isZero();
    }

    @Test
    void overwritesWritePathsBlindlyButCannotBringAGoneDocumentBack() {
        set("j:1", "{\"a\":{\"b\":1}}");
        set("j:2", "{\"a\":1}");
        StoredJson present = read(whole, "j:1");
        StoredJson gone = read(whole, "j:2");
        redis.commands().del("j:2");
        set("j:1", "{\"a\":{\"b\":1},\"app\":true}");
        // Known to the server: a batch sent again after NOSCRIPT goes conditionally, which is not what this tests.
        redis.commands().scriptLoad(whole.writeScript());

        List<Object> statuses = new WriteScript(whole, WriteMode.OVERWRITE, counter)
                .run(
                        fixture.pipeline(),
                        List.of(write(present, Change.set("a.b", "2")), write(gone, Change.set("a", "2"))));

        assertThat(statuses.get(0)).isEqualTo(1L);
        assertThat(statuses.get(1)).as("a path write on a gone key is refused").isInstanceOf(byte[].class);
        assertThat(get("j:1")).isEqualTo("{\"a\":{\"b\":2},\"app\":true}");
        assertThat(redis.commands().exists("j:2")).isZero();
    }

    @Test
    void withRedisJsonAMigrationOfHashesAndJsonWalksForBoth() {
        assertThat(DocumentStore.typesOn(fixture.endpoint(), KeySelector.documents("a:*"))
                        .types())
                .containsExactly(RedisType.HASH, RedisType.JSON);
    }
}
