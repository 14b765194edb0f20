package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.TransientFaults;

/**
 * What a partition's reader and writer share (they run on the same thread, one after the other): its name, its
 * pipelined connection, its retry policy and its live counters. The connection is opened on first use, inside the
 * caller's retry, so that an unreachable Redis fails the partition instead of escaping Spring Batch's bookkeeping.
 */
final class PartitionSession implements AutoCloseable {

    private final String name;
    private final RedisEndpoint redis;
    private final PartitionProgress progress;
    private PipelinedConnection connection;

    PartitionSession(String name, RedisEndpoint redis, PartitionProgress progress) {
        this.name = name;
        this.redis = redis;
        this.progress = progress;
    }

    String name() {
        return name;
    }

    PipelinedConnection connection() {
        if (connection == null) {
            connection = redis.openPipelined();
        }
        return connection;
    }

    TransientFaults faults() {
        return redis.transientFaults();
    }

    PartitionProgress progress() {
        return progress;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
