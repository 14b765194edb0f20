package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.ChangedCounter;
import dev.redisombatch.batch.data.store.DocumentStore;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.MigrationProgress;
import dev.redisombatch.batch.results.ChangeExample;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.RedisType;
import dev.redisombatch.migration.Transform;
import java.util.List;

/**
 * One walk of one migration in one direction: what its partitions share.
 *
 * @param generation the migration's generation when the run started; its exact change count is kept under it
 * @param examples in a dry run, the first few changes it would have written
 */
public record DataMigrationRun(
        DataMigration migration,
        Direction direction,
        long generation,
        DataRunContext context,
        MigrationProgress progress,
        List<ChangeExample> examples) {

    /** A run that starts with no examples yet: its partitions' threads share one list. */
    public DataMigrationRun(
            DataMigration migration,
            Direction direction,
            long generation,
            DataRunContext context,
            MigrationProgress progress) {
        this(migration, direction, generation, context, progress, DryRunWriter.newExampleList());
    }

    public String id() {
        return migration.id();
    }

    public DataStepSettings settings() {
        return context.settings();
    }

    Transform transform() {
        if (direction.runsUp()) {
            return migration::up;
        }
        return migration.down().orElseThrow(() -> RedisOmBatchException.plan(id() + " has no down transform"));
    }

    /** How this migration's documents of one type are read and written by one partition. */
    DocumentStore store(RedisType type, PartitionSession session) {
        return DocumentStore.of(migration, type, session::knowsCommand);
    }

    public ChangedCounter changedCounter() {
        return new ChangedCounter(id(), direction, generation, context.redis().groupsWritesBySlot());
    }

    RejectionPolicy rejections() {
        return new RejectionPolicy(id(), settings().failureMode(), context.budget());
    }
}
