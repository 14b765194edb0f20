package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.MigrationProgress;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Transform;
import java.util.List;

/** Everything the partitions of one migration share during one run. */
public record DataMigrationRun(DataMigration migration, Transform transform, RedisEndpoint redis,
        DataStepSettings settings, ErrorBudget budget, MigrationProgress progress, List<DocumentChange> examples) {

    public String id() {
        return migration.id();
    }

    /** What stays the same for every migration of one command: where, how, and the shared error budget. */
    public record Factory(RedisEndpoint redis, DataStepSettings settings, ErrorBudget budget) {

        public DataMigrationRun create(DataMigration migration, MigrationProgress progress) {
            return new DataMigrationRun(migration, migration::up, redis, settings, budget, progress,
                    DryRunRecorder.newExampleList());
        }
    }
}
