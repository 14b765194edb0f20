package dev.redisombatch.batch.data;

import dev.redisombatch.batch.data.step.DataMigrationRun;
import dev.redisombatch.batch.data.step.DataRunContext;
import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.data.step.ErrorBudget;
import dev.redisombatch.batch.data.step.PartitionWorkerStep;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.ops.MigrationMeters;
import dev.redisombatch.batch.ops.MigrationProgress;
import dev.redisombatch.batch.ops.ProgressReporter;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.migration.DataMigration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepLocator;

/**
 * The partition steps a worker process ({@code --job=worker}) runs, built for each request from the request's job:
 * the migration, direction and generation its job parameters name, and the write options its manager carried along
 * ({@link RunOptions}). The same {@link PartitionWorkerStep} local threads run: same reader, processor, writer and
 * checkpoints.
 */
public final class WorkerSteps implements StepLocator {

    private final BatchInfrastructure batch;
    private final BiFunction<String, Map<String, String>, DataMigration> migrations;
    private final RedisEndpoint redis;
    private final DataStepSettings ownSettings;
    private final MeterRegistry metrics;
    /** One budget of documents to skip per job this worker runs partitions of: --max-errors counts per worker. */
    private final Map<Long, ErrorBudget> budgets = new ConcurrentHashMap<>();
    /** The job executions whose Redis this worker's is: checked once per execution. */
    private final Map<Long, Boolean> sameRedis = new ConcurrentHashMap<>();

    /**
     * @param migrations the migration of an id, as configured by the configuration its job carries (empty for
     *        migrations that take none); null when this worker does not know it. Workers need the manager's
     *        migration jars; a built-in comes configured with the job.
     */
    public WorkerSteps(
            BatchInfrastructure batch,
            BiFunction<String, Map<String, String>, DataMigration> migrations,
            RedisEndpoint redis,
            DataStepSettings ownSettings,
            MeterRegistry metrics) {
        this.batch = batch;
        this.migrations = migrations;
        this.redis = redis;
        this.ownSettings = ownSettings;
        this.metrics = metrics;
    }

    @Override
    public Step getStep(String stepName) {
        return new Step() {
            @Override
            public String getName() {
                return stepName;
            }

            @Override
            public void execute(StepExecution partition) throws JobInterruptedException {
                DataMigrationRun run;
                try {
                    run = runOf(partition);
                } catch (RuntimeException refused) {
                    // The request handler records nothing of a step that fails before it starts: without this the
                    // manager would see the partition waiting until its stall timeout, and never why.
                    partition.setStatus(BatchStatus.FAILED);
                    partition.setExitStatus(ExitStatus.FAILED.addExitDescription(refused.getMessage()));
                    partition.setEndTime(LocalDateTime.now());
                    batch.jobRepository().update(partition);
                    throw refused;
                }
                try (ProgressReporter ignored = new ProgressReporter(run.progress(), ownSettings.progressInterval())) {
                    new PartitionWorkerStep(stepName, batch.jobRepository(), batch.transactionManager(), run)
                            .execute(partition);
                }
            }
        };
    }

    /**
     * Refuses (exit 2, nothing written) a partition of a run on another Redis than this worker's: a worker started
     * with another {@code --redis.url} than its manager (another server, or the source of a copy rather than its
     * target) would otherwise walk and write its own Redis. Told by the data's mark ({@code DatasetMark}), which a
     * run's identity carries: the same server under another host name is the same data.
     */
    private void refuseAnotherRedis(long jobExecutionId, RunIdentity identity) {
        if (identity.dataset().isEmpty()) {
            return; // a run from before datasets were marked
        }
        sameRedis.computeIfAbsent(jobExecutionId, any -> {
            String here = redis.call("read the dataset mark", commands -> redis.topology())
                    .dataset();
            if (!identity.dataset().equals(here)) {
                throw RedisOmBatchException.configuration("this worker's --redis.url (" + redis.target()
                        + ") holds other data than the run's Redis (" + identity.target()
                        + "): start workers with the manager's --redis.url (with --target.url, the target's)");
            }
            return true;
        });
    }

    private DataMigrationRun runOf(StepExecution partition) {
        JobParameters parameters = partition.getJobExecution().getJobParameters();
        RunIdentity identity = RunIdentity.of(MigrationExecutions.JOB_NAME, parameters);
        RunOptions options = RunOptions.from(parameters, ownSettings);
        DataMigration migration = migrations.apply(identity.migrationId(), options.configuration());
        if (migration == null) {
            throw RedisOmBatchException.plan("this worker does not know migration " + identity.migrationId()
                    + ": start workers with the same --migrations.jars as the manager");
        }
        refuseAnotherRedis(partition.getJobExecutionId(), identity);
        Direction direction = Direction.ofMode(identity.mode());
        DataStepSettings settings = options.applyTo(ownSettings);
        ErrorBudget budget =
                budgets.computeIfAbsent(partition.getJobExecutionId(), any -> new ErrorBudget(settings.errorBudget()));
        // A worker asked to stop takes no more requests but finishes the partition it runs (or is halted, and
        // another worker takes the partition over): its steps get a stop signal of their own that never fires.
        DataRunContext context = new DataRunContext(redis, settings, budget, () -> {}, new StopSignal(), metrics);
        MigrationProgress progress =
                new MigrationProgress(migration.id(), 1, 0, MigrationMeters.of(metrics, migration.id()));
        return new DataMigrationRun(migration, direction, identity.generation(), context, progress);
    }
}
