package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.ResumableInstance;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.state.RanBy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Runs one schema migration, or its rollback, as a Spring Batch job of one tasklet step, identified like a data
 * migration's run ({@link RunIdentity}): a failed or killed run is restarted by the same command, and the tasklet,
 * which starts from what FT.INFO reports, continues where it stopped.
 */
final class SchemaMigrationLauncher {

    static final String JOB_NAME = "migrateSchema";

    private final BatchInfrastructure batch;
    private final AppliedState applied;
    private final IndexKeys indexKeys;

    SchemaMigrationLauncher(BatchInfrastructure batch, AppliedState applied, IndexKeys indexKeys) {
        this.batch = batch;
        this.applied = applied;
        this.indexKeys = indexKeys;
    }

    JobExecution run(
            SchemaMigrationFile migration,
            Direction direction,
            ReplaceMode mode,
            IndexReplacement replacement,
            String target)
            throws Exception {
        RunIdentity identity = new RunIdentity(
                JOB_NAME,
                migration.id(),
                target,
                direction.label() + "-" + mode.cliName(),
                applied.generation(migration.id()),
                migration.checksum());
        ResumableInstance instance = ResumableInstance.find(batch.jobRepository(), batch.jobOperator(), identity);
        var step = new StepBuilder("schema:" + migration.id(), batch.jobRepository())
                .tasklet(
                        (contribution, chunk) -> {
                            long started = System.nanoTime();
                            Optional<String> live =
                                    replacement.replace(migration.index(), migration.target(direction), mode);
                            long millis = (System.nanoTime() - started) / 1_000_000;
                            if (direction == Direction.APPLY) {
                                indexKeys.describe(migration.index(), migration.next());
                                applied.markApplied(
                                        migration.id(), record(migration, live.orElseThrow(), mode, millis));
                            } else {
                                migration
                                        .previousDefinition()
                                        .ifPresentOrElse(
                                                previous -> indexKeys.describe(migration.index(), previous),
                                                () -> indexKeys.forget(migration.index()));
                                applied.markRolledBack(migration.id());
                            }
                            return RepeatStatus.FINISHED;
                        },
                        batch.transactionManager())
                .build();
        return batch.jobOperator()
                .start(
                        new JobBuilder(JOB_NAME, batch.jobRepository())
                                .start(step)
                                .build(),
                        instance.parameters());
    }

    private static Map<String, String> record(
            SchemaMigrationFile migration, String liveIndex, ReplaceMode mode, long durationMillis) {
        Map<String, String> record = new LinkedHashMap<>();
        record.put("applied_at", Instant.now().toString());
        record.put("duration_ms", Long.toString(durationMillis));
        record.put("index", migration.index());
        record.put("live_index", liveIndex);
        record.put("mode", mode.cliName());
        record.put("checksum", migration.checksum());
        record.put("schema", migration.next().schemaText());
        record.put("description", migration.description());
        record.put("ran_by", RanBy.describe());
        return record;
    }
}
