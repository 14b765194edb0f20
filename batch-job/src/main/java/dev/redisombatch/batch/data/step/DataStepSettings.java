package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.partition.PartitionCount;
import dev.redisombatch.batch.data.store.WriteMode;
import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import dev.redisombatch.batch.settings.OptionDefaults;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.convert.DurationUnit;

/** How the data steps walk, transform and write; every component is a documented option. */
public record DataStepSettings(
        @Name("partitions")
        @DefaultValue("" + DataStepSettings.DEFAULT_PARTITIONS)
        @Help(
                value =
                        "SCAN slices per key pattern, a power of two up to 65536; fewer on a small keyspace. A cluster's masters"
                                + " share them: each gets the largest power of two within N / masters, at least one.",
                placeholder = "N")
        int partitions,

        @Name("threads")
        @DefaultValue("" + DataStepSettings.DEFAULT_THREADS)
        @Help(
                value = "Partitions worked on at once (by this process; by each worker with --job=worker).",
                placeholder = "N")
        int threads,

        @Name("chunk-size")
        @DefaultValue("" + DataStepSettings.DEFAULT_CHUNK_SIZE)
        @Help(
                value = "Most documents per pipelined write (one Lua script call in conditional mode, which holds the"
                        + " server for its length).",
                placeholder = "N")
        int chunkSize,

        @Name("scan-count")
        @DefaultValue("" + DataStepSettings.DEFAULT_SCAN_COUNT)
        @Help(value = "SCAN ... COUNT, keys per page; a checkpoint is saved every 4 pages.", placeholder = "N")
        int scanCount,

        @Name("failure-mode")
        @DefaultValue(DataStepSettings.DEFAULT_FAILURE_MODE)
        @Help(
                value = "What a document that cannot be migrated does: fail stops the run; skip skips it and records"
                        + " it; log_and_skip also logs it.",
                placeholder = "MODE")
        FailureMode failureMode,

        @Name("max-errors")
        @Help(
                value = "Documents the whole run may skip (all partitions and migrations together, earlier"
                        + " executions of a resumed run included; with --workers=remote, each worker's share of a"
                        + " run); one more stops it. Default: no limit.",
                placeholder = "N")
        Long maxErrors,

        @Name("write-mode")
        @DefaultValue(DataStepSettings.DEFAULT_WRITE_MODE)
        @Help(
                value = "conditional (the default): a document is written only if what was read is still there and"
                        + " the key still exists; overwrite: blind writes, for maintenance windows in which nothing"
                        + " else writes (an application's concurrent write can be lost, an expired key can come back).",
                placeholder = "MODE")
        WriteMode writeMode,

        @Name("dry-run")
        @DefaultValue("" + DataStepSettings.DEFAULT_DRY_RUN)
        @Help(
                value = "Read and transform, write nothing at all to Redis; report what would change.",
                placeholder = "BOOL")
        boolean dryRun,

        @Name("skip-log.capacity")
        @DefaultValue("" + DataStepSettings.DEFAULT_SKIP_LOG_CAPACITY)
        @Help(value = "Skipped keys kept per migration in redis-om-batch:skipped:<id>.", placeholder = "N")
        long skipLogCapacity,

        @Name("progress.interval")
        @DefaultValue("" + DataStepSettings.DEFAULT_PROGRESS_INTERVAL_SECONDS)
        @DurationUnit(ChronoUnit.SECONDS)
        @Help(value = "Seconds between progress lines (data steps, and index builds).", placeholder = "SECONDS")
        Duration progressInterval) {

    public static final int MAX_PARTITIONS = 65536;
    public static final int DEFAULT_PARTITIONS = 16;
    public static final int DEFAULT_THREADS = 2;
    public static final int DEFAULT_CHUNK_SIZE = 1000;
    public static final int DEFAULT_SCAN_COUNT = 1000;
    public static final String DEFAULT_FAILURE_MODE = "log_and_skip";
    public static final String DEFAULT_WRITE_MODE = "conditional";
    public static final boolean DEFAULT_DRY_RUN = false;
    public static final long DEFAULT_SKIP_LOG_CAPACITY = 10000;
    public static final int DEFAULT_PROGRESS_INTERVAL_SECONDS = 5;

    public DataStepSettings {
        if (!PartitionCount.isPowerOfTwo(partitions) || partitions > MAX_PARTITIONS) {
            throw new InvalidSettingException(
                    "partitions", partitions + ": must be a power of two from 1 to " + MAX_PARTITIONS);
        }
        InvalidSettingException.requireAtLeast("threads", threads, 1);
        InvalidSettingException.requireAtLeast("chunk-size", chunkSize, 1);
        InvalidSettingException.requireAtLeast("scan-count", scanCount, 1);
        if (maxErrors != null) {
            InvalidSettingException.requireAtLeast("max-errors", maxErrors, 0);
        }
        InvalidSettingException.requireAtLeast("skip-log.capacity", skipLogCapacity, 1);
        InvalidSettingException.requirePositive("progress.interval", progressInterval);
    }

    /** The defaults, for tests and programmatic use. */
    public static DataStepSettings defaults() {
        return new DataStepSettings(
                DEFAULT_PARTITIONS,
                DEFAULT_THREADS,
                DEFAULT_CHUNK_SIZE,
                DEFAULT_SCAN_COUNT,
                OptionDefaults.constant(FailureMode.class, DEFAULT_FAILURE_MODE),
                null,
                OptionDefaults.constant(WriteMode.class, DEFAULT_WRITE_MODE),
                DEFAULT_DRY_RUN,
                DEFAULT_SKIP_LOG_CAPACITY,
                Duration.ofSeconds(DEFAULT_PROGRESS_INTERVAL_SECONDS));
    }

    /**
     * The job repository's pool: each partition thread ({@link #threads}, of a manager's local steps or of a worker)
     * holds a connection for its chunk transaction; a few more serve the job itself.
     */
    public int jobRepositoryConnections() {
        return threads + 4;
    }

    /**
     * A worker's share of the partition queue: one connection per partition it runs at once ({@link #threads}), each
     * holding its request's transaction.
     */
    public int workerQueueConnections() {
        return threads;
    }

    /** A manager's share of the partition queue ({@code --workers=remote}): it only sends, whatever its threads. */
    public int managerQueueConnections() {
        return 1;
    }

    /** Documents the run may skip; {@code Long.MAX_VALUE} when there is no limit. */
    public long errorBudget() {
        return maxErrors == null ? Long.MAX_VALUE : maxErrors;
    }
}
