package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.redis.PipelinedConnection;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The one way the stores read a page of documents: one read command per key, all in one pipeline. */
final class PipelinedLoad {

    private PipelinedLoad() {}

    /**
     * Sends {@code read} for every key in one pipeline, waits on the replies together, and returns them in the order
     * of {@code keys}: null for a key no longer of the store's type (WRONGTYPE) or, in a cluster, moved to another
     * master since SCAN returned it (MOVED, ASK: the slot then cannot be proven walked by this slice, so the run walks
     * it again where it is). Transient faults propagate for a retry.
     */
    static <T> List<T> replies(
            PipelinedConnection connection, List<byte[]> keys, Function<byte[], RedisFuture<T>> read) {
        List<RedisFuture<T>> pending = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            pending.add(read.apply(key));
        }
        connection.flushAndSettle(pending);
        List<T> replies = new ArrayList<>(keys.size());
        for (RedisFuture<T> reply : pending) {
            replies.add(replyOrSkip(connection, reply));
        }
        return replies;
    }

    private static <T> T replyOrSkip(PipelinedConnection connection, RedisFuture<T> reply) {
        try {
            return connection.await(reply);
        } catch (RedisCommandExecutionException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("WRONGTYPE") || message.startsWith("MOVED") || message.startsWith("ASK")) {
                return null;
            }
            throw e;
        }
    }
}
