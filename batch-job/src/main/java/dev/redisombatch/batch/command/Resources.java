package dev.redisombatch.batch.command;

import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.data.step.DataRunContext;
import dev.redisombatch.batch.data.step.ErrorBudget;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.JobRepositoryOutage;
import dev.redisombatch.batch.ops.MetricsExport;
import dev.redisombatch.batch.ops.RunLease;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.remote.PartitionQueue;
import dev.redisombatch.batch.remote.RemoteWorkers;
import dev.redisombatch.batch.state.AppliedState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What one command opens, each on first use and closed together: the Redis connection, the job repository, the
 * metrics registry and the run lock. A command that needs no job history opens no database; one that only reads
 * takes no lock.
 */
final class Resources implements AutoCloseable {

    private final Configuration configuration;
    private final StopSignal stop;
    private RedisEndpoint redis;
    private RedisEndpoint copySource;
    private BatchInfrastructure batch;
    private CompletableFuture<BatchInfrastructure> openingBatch;
    private MetricsExport metrics;
    private RunLease lease;
    private PartitionQueue partitionQueue;
    /** The pool size {@link #partitionQueue} was opened with: a manager's or a worker's. */
    private int partitionQueueConnections;
    /** Opening the job repository and the queue waits out an outage of their database, within its timeout. */
    private final JobRepositoryOutage openingOutage;

    Resources(Configuration configuration, StopSignal stop) {
        this.configuration = configuration;
        this.stop = stop;
        this.openingOutage =
                new JobRepositoryOutage("start", configuration.jobRepository().outageTimeout());
    }

    /** The Redis the migrations act on: the target of a copy, else {@code --redis.url}. */
    RedisEndpoint redis() {
        if (redis == null) {
            redis = new RedisEndpoint(configuration.migrated(), stop::isRequested);
        }
        return redis;
    }

    /** The source of a copy ({@code --redis.url} with {@code --target.url}), only read. */
    RedisEndpoint copySource() {
        if (copySource == null) {
            copySource = new RedisEndpoint(configuration.redis(), stop::isRequested);
        }
        return copySource;
    }

    BatchInfrastructure batch() {
        if (batch == null) {
            batch = (openingBatch != null ? openingBatch : startOpeningBatch()).join();
        }
        return batch;
    }

    /**
     * Starts opening the job repository on another thread, for a command that will need it after talking to Redis:
     * on two cores the database's start-up then mostly overlaps Redis' round trips.
     */
    void openBatchInBackground() {
        if (batch == null && openingBatch == null) {
            openingBatch = startOpeningBatch();
        }
    }

    private CompletableFuture<BatchInfrastructure> startOpeningBatch() {
        return CompletableFuture.supplyAsync(
                () -> openingOutage.call(
                        () -> BatchInfrastructure.open(
                                configuration.jobRepository(),
                                configuration.data().jobRepositoryConnections()),
                        stop::isRequested),
                runnable -> {
                    Thread thread = new Thread(runnable, "job-repository-open");
                    thread.setDaemon(true);
                    thread.start();
                });
    }

    MetricsExport metrics() {
        if (metrics == null) {
            metrics = MetricsExport.create(configuration.metrics());
        }
        return metrics;
    }

    /** The queue to worker processes, for this process as a worker, which takes partitions from it. */
    PartitionQueue workerQueue() {
        return partitionQueue(configuration.data().workerQueueConnections());
    }

    /** The queue to worker processes, for this process as a manager ({@code --workers=remote}), which sends. */
    private PartitionQueue managerQueue() {
        return partitionQueue(configuration.data().managerQueueConnections());
    }

    /** A process is a manager or a worker, never both: the queue is opened once, sized for the one it is. */
    private PartitionQueue partitionQueue(int connections) {
        if (partitionQueue == null) {
            partitionQueue = openingOutage.call(
                    () -> PartitionQueue.open(configuration.jobRepository(), connections), stop::isRequested);
            partitionQueueConnections = connections;
        } else if (connections != partitionQueueConnections) {
            throw new IllegalStateException("the partition queue is open with " + partitionQueueConnections
                    + " connections, not " + connections + ": a process is a manager or a worker, not both");
        }
        return partitionQueue;
    }

    /** What the data migrations of this command share, with a fresh error budget. */
    DataRunContext dataRunContext() {
        return new DataRunContext(
                redis(),
                configuration.data(),
                new ErrorBudget(configuration.data().errorBudget()),
                leaseCheck(),
                stop,
                metrics().registry());
    }

    /** Runs data migrations: their partitions on this process's threads, or on workers with --workers=remote. */
    DataMigrationLauncher launcher(AppliedState applied) {
        return new DataMigrationLauncher(
                batch(),
                applied,
                configuration.plan().allowEdited(),
                configuration.plan().allowEmpty(),
                configuration.remote().remote()
                        ? new RemoteWorkers(
                                managerQueue(),
                                configuration.remote().stallTimeout(),
                                configuration.jobRepository().outageTimeout(),
                                () -> batch().failFast())
                        : null,
                configuration.lock().ttl());
    }

    /** Takes the run lock for {@code job}; held until {@link #close}. Taken before anything is read. */
    RunLease lock(String job) {
        if (lease == null) {
            lease = RunLease.acquire(redis(), job, configuration.lock());
            stop.beforeHalt(lease::releaseOnce);
        }
        return lease;
    }

    /** The lock's check, or nothing when this command holds no lock (a dry run). */
    Runnable leaseCheck() {
        return lease == null ? () -> {} : lease::checkHeld;
    }

    @Override
    public void close() {
        if (batch == null && openingBatch != null) {
            try {
                batch = openingBatch.join();
            } catch (CompletionException notOpened) {
                // nothing to close; the command's own failure, if any, is what is reported
            }
        }
        try (RedisEndpoint openRedis = redis;
                RedisEndpoint openSource = copySource;
                BatchInfrastructure openBatch = batch;
                PartitionQueue openQueue = partitionQueue;
                MetricsExport openMetrics = metrics;
                RunLease openLease = lease) {
            // closed in reverse order: the lock first, then metrics (a last push), the repository, Redis
        }
    }
}
