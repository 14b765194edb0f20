package dev.redisombatch.batch.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A Lua script run with EVALSHA on a {@link PipelinedConnection}, so that its text is not sent with every call; loaded
 * when the server does not know it (first use, or a restarted or failed-over server).
 */
public final class ServerScript {

    private final String source;
    /** The source's SHA-1 as EVALSHA wants it, from Lettuce on first use. */
    private volatile String sha;

    public ServerScript(String source) {
        this.source = source;
    }

    /** Queues one EVALSHA on the connection's writes (routed by the first key in a cluster); sent with the next flush. */
    public <T> RedisFuture<T> queue(
            PipelinedConnection connection, ScriptOutputType output, byte[][] keys, byte[]... arguments) {
        return queueOn(connection.writes(), output, keys, arguments);
    }

    /** Queues one EVALSHA on the given commands of a {@link PipelinedConnection}; sent with its next flush. */
    public <T> RedisFuture<T> queueOn(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            ScriptOutputType output,
            byte[][] keys,
            byte[]... arguments) {
        if (sha == null) {
            sha = commands.digest(source);
        }
        return commands.evalsha(sha, output, keys, arguments);
    }

    /**
     * Runs {@code calls}, which queue, send and await this script's calls on the connection's writes; when the server
     * answers NOSCRIPT, loads the script and runs them once more (nothing of a call answered NOSCRIPT ran).
     */
    public <T> T run(PipelinedConnection connection, Supplier<T> calls) {
        return runOn(connection, connection.writes(), calls);
    }

    /** {@link #run}, for calls sent on {@code commands}, which the script is loaded on when it is not known there. */
    public <T> T runOn(
            PipelinedConnection connection, RedisClusterAsyncCommands<byte[], byte[]> commands, Supplier<T> calls) {
        try {
            return calls.get();
        } catch (RedisNoScriptException unknownScript) {
            RedisFuture<String> loaded = commands.scriptLoad(source.getBytes(StandardCharsets.UTF_8));
            connection.flush();
            connection.await(loaded);
            return calls.get();
        }
    }
}
