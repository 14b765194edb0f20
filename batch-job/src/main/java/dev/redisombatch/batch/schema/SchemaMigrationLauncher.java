package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.jobs.ResumableInstance;
import java.util.Optional;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Runs one schema migration, or its rollback, as a Spring Batch job of one tasklet step, identified like a data
 * migration's job ({@link ResumableInstance}): a failed or killed run is restarted by the same command, and the
 * tasklet, which starts from what FT.INFO reports, continues where it stopped.
 */
public final class SchemaMigrationLauncher {

    public static final String JOB_NAME = "migrateSchema";

    /** Which way a run goes. */
    public enum Direction {
        APPLY, ROLLBACK
    }

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final PlatformTransactionManager transactionManager;
    private final SchemaState state;

    public SchemaMigrationLauncher(JobRepository jobRepository, JobOperator jobOperator,
            PlatformTransactionManager transactionManager, SchemaState state) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.transactionManager = transactionManager;
        this.state = state;
    }

    public JobExecution run(SchemaMigrationFile migration, Direction direction, ReplaceMode mode,
            IndexReplacement replacement, String target) throws Exception {
        String modeName = direction.name().toLowerCase(java.util.Locale.ROOT) + "-" + mode.cliName();
        ResumableInstance instance = ResumableInstance.find(jobRepository, jobOperator, JOB_NAME, migration.id(),
                target, modeName);
        var step = new StepBuilder("schema:" + migration.id(), jobRepository)
                .tasklet((contribution, chunk) -> {
                    long started = System.nanoTime();
                    if (direction == Direction.APPLY) {
                        Optional<String> live = replacement.replace(migration.index(), migration.target(direction),
                                mode);
                        state.markApplied(migration, live.orElseThrow(), mode,
                                (System.nanoTime() - started) / 1_000_000, DataMigrationLauncher.ranBy());
                    } else {
                        replacement.replace(migration.index(), migration.target(direction), mode);
                        state.markRolledBack(migration);
                    }
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .build();
        return jobOperator.start(new JobBuilder(JOB_NAME, jobRepository).start(step).build(),
                instance.parameters());
    }
}
