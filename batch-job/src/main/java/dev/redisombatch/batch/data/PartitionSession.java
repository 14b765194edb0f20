package dev.redisombatch.batch.data;

import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;

/**
 * The pipelined connection that a partition's reader and writer share (they run on the same thread, one after the
 * other). Opened on first use, inside the step, so that an unreachable Redis fails the partition instead of escaping
 * Spring Batch's bookkeeping.
 */
final class PartitionSession implements AutoCloseable {

    private final RedisEndpoint redis;
    private PipelinedConnection connection;

    PartitionSession(RedisEndpoint redis) {
        this.redis = redis;
    }

    PipelinedConnection connection() {
        if (connection == null) {
            connection = redis.openPipelined();
        }
        return connection;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
