package dev.redisombatch.batch.command;

import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.ops.MetricsExport;
import dev.redisombatch.batch.ops.RunLease;
import dev.redisombatch.batch.redis.RedisEndpoint;

/**
 * What one command opens, each on first use and closed together: the Redis connection, the job repository, the
 * metrics registry and the run lock. A command that needs no job history opens no database; one that only reads
 * takes no lock.
 */
final class Resources implements AutoCloseable {

    private final Configuration configuration;
    private RedisEndpoint redis;
    private BatchInfrastructure batch;
    private MetricsExport metrics;
    private RunLease lease;

    Resources(Configuration configuration) {
        this.configuration = configuration;
    }

    RedisEndpoint redis() {
        if (redis == null) {
            redis = new RedisEndpoint(configuration.redis());
        }
        return redis;
    }

    BatchInfrastructure batch() {
        if (batch == null) {
            // Each partition thread holds a connection for its chunk transaction; a few more serve the job itself.
            batch = BatchInfrastructure.open(configuration.jobRepository(), configuration.data().threads() + 4);
        }
        return batch;
    }

    MetricsExport metrics() {
        if (metrics == null) {
            metrics = MetricsExport.create(configuration.metrics());
        }
        return metrics;
    }

    /** Takes the run lock for {@code job}; held until {@link #close}. Taken before anything is read. */
    RunLease lock(String job) {
        if (lease == null) {
            lease = RunLease.acquire(redis(), job, configuration.lock());
        }
        return lease;
    }

    /** The lock's check, or nothing when this command holds no lock (a dry run). */
    Runnable leaseCheck() {
        return lease == null ? () -> { } : lease::checkHeld;
    }

    @Override
    public void close() {
        try (RedisEndpoint openRedis = redis; BatchInfrastructure openBatch = batch; MetricsExport openMetrics = metrics;
                RunLease openLease = lease) {
            // closed in reverse order: the lock first, then metrics (a last push), the repository, Redis
        }
    }
}
