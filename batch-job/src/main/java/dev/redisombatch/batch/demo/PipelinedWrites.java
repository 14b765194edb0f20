package dev.redisombatch.batch.demo;

import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * The write loop the demo generators share: one random sequence for the seed (so the same seed writes the same data),
 * and writes sent 1,000 at a time in one flush, waiting for the replies before the next batch.
 */
final class PipelinedWrites {

    private static final int BATCH = 1000;

    private PipelinedWrites() {}

    /** Queues {@code count} writes made by {@code write} and returns how many were written. */
    static long write(
            RedisEndpoint redis,
            long count,
            long seed,
            BiFunction<PipelinedConnection, SplittableRandom, RedisFuture<?>> write) {
        SplittableRandom random = new SplittableRandom(seed);
        try (PipelinedConnection connection =
                redis.transientFaults().call("connect to " + redis.target(), redis::openPipelined)) {
            long written = 0;
            while (written < count) {
                int batch = (int) Math.min(BATCH, count - written);
                List<RedisFuture<?>> replies = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    replies.add(write.apply(connection, random));
                }
                connection.flush();
                replies.forEach(connection::await);
                written += batch;
            }
            return written;
        }
    }
}
