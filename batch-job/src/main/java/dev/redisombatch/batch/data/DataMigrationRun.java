package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.MigrationProgress;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Transform;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/** Everything the partitions of one migration share during one run. */
public record DataMigrationRun(DataMigration migration, Direction direction, Transform transform, RedisEndpoint redis,
        DataStepSettings settings, ErrorBudget budget, Runnable leaseCheck, StopSignal stop,
        MigrationProgress progress, List<DocumentChange> examples) {

    /** Which way a migration runs: {@code up} to apply it, {@code down} to roll it back. */
    public enum Direction {
        APPLY, ROLLBACK
    }

    public String id() {
        return migration.id();
    }

    /** What must still hold before each page is read and each chunk written; throws when it does not. */
    void checkMayContinue() {
        budget.checkNotExhausted();
        leaseCheck.run();
    }

    /**
     * What stays the same for every migration of one command: where, how, the error budget, the lock, the stop
     * signal, and the registry its meters go to.
     */
    public record Factory(RedisEndpoint redis, DataStepSettings settings, ErrorBudget budget, Runnable leaseCheck,
            StopSignal stop, MeterRegistry metrics) {

        /** @throws IllegalArgumentException for a rollback of a migration without {@code down} */
        public DataMigrationRun create(DataMigration migration, Direction direction, MigrationProgress progress) {
            Transform transform = direction == Direction.APPLY ? migration::up
                    : migration.down().orElseThrow(() -> new IllegalArgumentException(
                            "migration " + migration.id() + " has no down transform"));
            return new DataMigrationRun(migration, direction, transform, redis, settings, budget, leaseCheck, stop,
                    progress, DryRunRecorder.newExampleList());
        }
    }
}
