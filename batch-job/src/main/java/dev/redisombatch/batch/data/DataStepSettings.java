package dev.redisombatch.batch.data;

import java.time.Duration;

/** How the data steps run; every field comes from a documented command-line option. */
public record DataStepSettings(int partitions, int threads, int chunkSize, int scanCount, FailureMode failureMode,
        boolean dryRun, long skipLogCapacity, Duration progressInterval) {
}
