package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.redis.CommandName;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Json;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ByteArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * RedisJSON documents: read whole with {@code JSON.GET key NOESCAPE .} (raw UTF-8 on ReJSON 1.x, which escapes
 * every other byte otherwise; 2.x ignores the flag), written with {@code JSON.SET} and {@code JSON.DEL} of the changed
 * paths only, in RedisJSON's legacy path syntax that 1.x and 2.x both read, or DEL, through
 * {@code json-conditional-write.lua}: conditionally, or blindly in {@link WriteMode#OVERWRITE}.
 */
final class JsonStore implements DocumentStore {

    private static final String SCRIPT = DocumentStore.script("json-conditional-write.lua");
    private static final ProtocolKeyword JSON_GET = new CommandName("JSON.GET");
    private static final byte[] NOESCAPE = KeyText.bytes("NOESCAPE");
    private static final byte[] ROOT = KeyText.bytes(".");
    private static final byte[] SET = KeyText.bytes("S");
    private static final byte[] DELETE = KeyText.bytes("D");
    private static final byte[] EXPECTED = KeyText.bytes("E");
    private static final byte[] BLIND = KeyText.bytes("B");
    private static final byte[] NOTHING = new byte[0];

    private final Set<String> membersRead;

    /** @param fieldsRead the paths the migration reads; empty for all */
    JsonStore(Set<String> fieldsRead) {
        this.membersRead = StoredJson.membersOf(fieldsRead);
    }

    @Override
    public String scanType() {
        return "ReJSON-RL";
    }

    @Override
    public String writeScript() {
        return SCRIPT;
    }

    @Override
    public List<StoredDocument> load(
            PipelinedConnection connection, RedisClusterAsyncCommands<byte[], byte[]> commands, List<byte[]> keys) {
        List<byte[]> replies = PipelinedLoad.replies(
                connection,
                keys,
                key -> commands.dispatch(
                        JSON_GET,
                        new ByteArrayOutput<>(ByteArrayCodec.INSTANCE),
                        arguments(key).add(NOESCAPE).add(ROOT)));
        List<StoredDocument> documents = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            byte[] json = replies.get(i);
            if (json != null) {
                documents.add(new StoredJson(keys.get(i), json, membersRead));
            }
        }
        return documents;
    }

    @Override
    public void encodeWrite(PendingWrite write, WriteMode mode, List<byte[]> arguments) {
        if (write.restore() != null) {
            throw new IllegalArgumentException("the JSON write script restores no key");
        }
        StoredJson document = (StoredJson) write.stored();
        Change change = write.change();
        arguments.add(change.deletesKey() ? DELETE : SET);
        arguments.add(mode == WriteMode.OVERWRITE ? BLIND : EXPECTED);
        arguments.add(mode == WriteMode.OVERWRITE ? NOTHING : document.json());
        arguments.add(KeyText.decimal(change.fieldsToSet().size()));
        arguments.add(KeyText.decimal(change.fieldsToRemove().size()));
        change.fieldsToSet().forEach((path, value) -> {
            arguments.add(KeyText.bytes(Json.legacyPath(path)));
            arguments.add(KeyText.bytes(value));
        });
        for (String path : Json.removalOrder(change.fieldsToRemove())) {
            arguments.add(KeyText.bytes(Json.legacyPath(path)));
        }
    }

    private static CommandArgs<byte[], byte[]> arguments(byte[] key) {
        return new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key);
    }
}
