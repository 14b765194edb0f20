package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.plan.AppliedRecord;
import dev.redisombatch.batch.plan.ConfiguredMigration;
import dev.redisombatch.batch.plan.MigrationChecksum;
import dev.redisombatch.batch.results.DataMigrationOutcome;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.state.RanBy;
import dev.redisombatch.migration.DataMigration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records on the target a migration a copy made on the way ({@code migrateData --target.url}), once the copy completed:
 * the copy's checkpoints proved every slot of the source copied, so every document it selects was read and converted,
 * as a walk's proof would say of its own. Recorded as a walk's record step records it, with the copy's counts; a
 * migration whose keys matched nothing is left pending, as a walk leaves it, and its own walk on the target then says
 * so.
 */
public final class ConvertedDuringCopy {

    private static final Logger log = LoggerFactory.getLogger(ConvertedDuringCopy.class);

    private ConvertedDuringCopy() {}

    /**
     * @param copyExecution the copy's last job execution
     * @return how it ended; null when it is left pending (nothing matched)
     */
    public static DataMigrationOutcome record(
            DataMigration migration,
            DocumentCounts counts,
            AppliedState applied,
            boolean allowEmpty,
            int partitions,
            long durationMillis,
            long copyExecution) {
        if (counts.read() == 0 && !allowEmpty && !migration.mayMatchNothing()) {
            log.info("{}: the copy found none of its documents; left to a walk of the target", migration.id());
            return null;
        }
        applied.markApplied(
                migration.id(),
                new AppliedRecord(
                                Instant.now().toString(),
                                durationMillis,
                                counts,
                                partitions,
                                RanBy.describe(),
                                migration.description(),
                                MigrationChecksum.of(migration),
                                "applied during the copy",
                                applied.generation(migration.id()) + 1,
                                ConfiguredMigration.of(migration))
                        .asFields());
        return new DataMigrationOutcome(
                migration.id(),
                Direction.APPLY,
                false,
                "COMPLETED",
                copyExecution,
                counts,
                List.of(),
                null,
                false,
                true);
    }
}
