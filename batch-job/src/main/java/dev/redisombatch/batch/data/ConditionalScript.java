package dev.redisombatch.batch.data;

import dev.redisombatch.batch.redis.PipelinedConnection;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Sends one batch of changed documents through the store's conditional write script with EVALSHA, loading the script
 * when the server does not know it (first use, or a restarted server): one round trip per batch, not per key.
 */
final class ConditionalScript {

    private final DocumentStore store;
    private final ChangedCounter counter;
    private final String source;
    private final String sha;

    ConditionalScript(DocumentStore store, ChangedCounter counter) {
        this.store = store;
        this.counter = counter;
        this.source = store.conditionalScript();
        this.sha = sha1(source);
    }

    /**
     * Writes what still holds; returns one entry per document: 1 written, 0 changed since it was read, -1 gone,
     * -2 replaced by another type, or the error Redis gave for its write.
     */
    List<Object> run(PipelinedConnection connection, List<PendingWrite> batch) {
        byte[][] keys = new byte[batch.size() + 1][];
        keys[0] = counter.keyBytes();
        List<byte[]> arguments = new ArrayList<>(batch.size() * 8 + 1);
        arguments.add(counter.fieldBytes());
        for (int i = 0; i < batch.size(); i++) {
            PendingWrite write = batch.get(i);
            keys[i + 1] = write.stored().key();
            store.encodeConditional(write.stored(), write.change(), arguments);
        }
        byte[][] values = arguments.toArray(byte[][]::new);
        try {
            return send(connection, keys, values);
        } catch (RedisNoScriptException unknownScript) {
            RedisFuture<String> loaded = connection.commands().scriptLoad(source.getBytes(StandardCharsets.UTF_8));
            connection.flush();
            connection.await(loaded);
            return send(connection, keys, values);
        }
    }

    private List<Object> send(PipelinedConnection connection, byte[][] keys, byte[][] values) {
        RedisFuture<List<Object>> reply = connection.commands().evalsha(sha, ScriptOutputType.MULTI, keys, values);
        connection.flush();
        return connection.await(reply);
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
