package dev.redisombatch.batch.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /**
     * Queues one EVALSHA on the connection's writes, answered by a list; sent with the next flush.
     *
     * @param keys at least one: a cluster connection routes the call by the first
     */
    public RedisFuture<List<Object>> queue(PipelinedConnection connection, byte[][] keys, List<byte[]> arguments) {
        return queueOn(connection.writes(), keys, arguments);
    }

    /** {@link #queue}, on the given commands of a {@link PipelinedConnection}. */
    public RedisFuture<List<Object>> queueOn(
            RedisClusterAsyncCommands<byte[], byte[]> commands, byte[][] keys, List<byte[]> arguments) {
        return send(commands, new NestedMultiOutput<>(ByteArrayCodec.INSTANCE), keys, arguments);
    }

    /** {@link #queue}, for a script answered by an integer. */
    public RedisFuture<Long> queueAnsweredByInteger(
            PipelinedConnection connection, byte[][] keys, List<byte[]> arguments) {
        return send(connection.writes(), new IntegerOutput<>(ByteArrayCodec.INSTANCE), keys, arguments);
    }

    private <T> RedisFuture<T> send(
            RedisClusterAsyncCommands<byte[], byte[]> commands,
            CommandOutput<byte[], byte[], T> output,
            byte[][] keys,
            List<byte[]> arguments) {
        if (sha == null) {
            sha = commands.digest(source);
        }
        List<byte[]> call = new ArrayList<>(2 + keys.length + arguments.size());
        call.add(sha.getBytes(StandardCharsets.US_ASCII));
        call.add(KeyText.decimal(keys.length));
        call.addAll(Arrays.asList(keys));
        call.addAll(arguments);
        return commands.dispatch(CommandType.EVALSHA, output, new BulkArguments(keys[0], call));
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
