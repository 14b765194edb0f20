package dev.redisombatch.batch.data;

import dev.redisombatch.batch.jobs.ResumableInstance;
import dev.redisombatch.batch.ops.MigrationProgress;
import dev.redisombatch.batch.ops.ProgressReporter;
import dev.redisombatch.batch.plan.AppliedMigrations;
import dev.redisombatch.batch.plan.AppliedMigrations.ApplicationRecord;
import dev.redisombatch.batch.plan.ConfiguredMigration;
import dev.redisombatch.batch.plan.MigrationChecksum;
import dev.redisombatch.migration.DataMigration;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.partition.support.SimpleStepExecutionSplitter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Runs one data migration as a Spring Batch job: a partitioned step over SCAN slices, then (unless dry) a step that
 * marks the migration applied.
 *
 * <p>The same command after a failure continues the same job instance ({@link ResumableInstance}), and Spring Batch
 * reruns only the partitions that did not complete, each from its checkpoint.
 */
public final class DataMigrationLauncher {

    private static final Logger log = LoggerFactory.getLogger(DataMigrationLauncher.class);
    public static final String JOB_NAME = "migrateData";
    /** Walks of every slice a migration gets while the server keeps restarting, before the run gives up. */
    private static final int MAX_WALKS = 3;
    private static final String GRID_SIZE_KEY = SimpleStepExecutionSplitter.class.getSimpleName() + ".GRID_SIZE";

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final PlatformTransactionManager transactionManager;
    private final AppliedMigrations applied;

    public DataMigrationLauncher(JobRepository jobRepository, JobOperator jobOperator,
            PlatformTransactionManager transactionManager, AppliedMigrations applied) {
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.transactionManager = transactionManager;
        this.applied = applied;
    }

    static String managerStepName(String migrationId) {
        return "migrate:" + migrationId;
    }

    public static String workerStepName(String migrationId) {
        return managerStepName(migrationId) + ":partition";
    }

    /** Whether a step execution is one of the migration's partitions. */
    static boolean isPartitionOf(StepExecution step, String migrationId) {
        return step.getStepName().startsWith(workerStepName(migrationId) + ":");
    }

    /** The execution, and in a dry run the first few changes it would have written. */
    public record Outcome(JobExecution execution, List<DocumentChange> examples) {
    }

    /** Runs (or resumes) the migration in the given direction. */
    public Outcome run(DataMigration migration, DataMigrationRun.Direction direction, DataMigrationRun.Factory runs)
            throws Exception {
        for (int walk = 1; ; walk++) {
            AtomicBoolean walkedUnderSeveralServers = new AtomicBoolean();
            Outcome outcome = walk(migration, direction, runs, walkedUnderSeveralServers);
            if (!walkedUnderSeveralServers.get()) {
                return outcome;
            }
            String why = migration.id() + ": the Redis server restarted while the slices were walked (partitions"
                    + " finished under different run_ids); a restarted server hashes keys with a new seed, so a slice"
                    + " finished before may have missed keys that moved into it";
            if (walk == MAX_WALKS || runs.stop().isRequested()) {
                throw new io.lettuce.core.RedisException(why + "; not marked applied after " + walk + " walk(s)."
                        + " Run the same command again when the server is steady");
            }
            log.warn("{}. Walking every slice again (unchanged documents are not written)", why);
        }
    }

    private Outcome walk(DataMigration migration, DataMigrationRun.Direction direction,
            DataMigrationRun.Factory runs, AtomicBoolean walkedUnderSeveralServers) throws Exception {
        String target = runs.redis().target();
        String mode = direction.name().toLowerCase(Locale.ROOT) + (runs.settings().dryRun() ? "-dry-run" : "");
        ResumableInstance instance = ResumableInstance.find(jobRepository, jobOperator, JOB_NAME, migration.id(),
                target, mode);
        JobExecution previous = instance.previous();
        int slices;
        int completedEarlier = 0;
        long keys = runs.redis().transientFaults().call("DBSIZE", () -> runs.redis().sync().dbsize());
        if (previous == null) {
            slices = PartitionCount.effective(runs.settings().partitions(), keys);
            if (slices < runs.settings().partitions()) {
                log.info("{}: {} keys in the database, so {} partitions instead of {}", migration.id(), keys, slices,
                        runs.settings().partitions());
            }
        } else {
            StepExecution manager = jobRepository.getLastStepExecution(previous.getJobInstance(),
                    managerStepName(migration.id()));
            slices = manager == null ? runs.settings().partitions()
                    : (int) manager.getExecutionContext().getLong(GRID_SIZE_KEY, runs.settings().partitions());
            completedEarlier = (int) ExecutionProgress.lastPerPartition(jobRepository, previous.getJobInstance(),
                    migration.id()).values().stream()
                    .filter(partition -> partition.getStatus() == BatchStatus.COMPLETED).count();
            log.info("{}: resuming job instance {} (last execution {} {}); {} of {} partitions already complete",
                    migration.id(), previous.getJobInstance().getInstanceId(), previous.getId(),
                    previous.getStatus(), completedEarlier, slices * migration.keys().patterns().size());
        }

        int partitions = slices * migration.keys().patterns().size();
        DataMigrationRun run = runs.create(migration, direction, new MigrationProgress(migration.id(), partitions,
                completedEarlier, runs.metrics()));
        Job job = buildJob(run, slices, keys, walkedUnderSeveralServers);
        try (ProgressReporter ignored = new ProgressReporter(run.progress(), run.settings().progressInterval())) {
            return new Outcome(jobOperator.start(job, instance.parameters()), run.examples());
        }
    }

    /** The run_ids of the servers the partitions of the instance were walked on, as their checkpoints say. */
    private Set<String> serversWalked(JobInstance instance, String migrationId) {
        Set<String> runIds = new HashSet<>();
        for (StepExecution partition : ExecutionProgress.lastPerPartition(jobRepository, instance, migrationId)
                .values()) {
            String runId = partition.getExecutionContext().getString(ScanSliceReader.RUN_ID, "");
            if (!runId.isEmpty()) {
                runIds.add(runId);
            }
        }
        return runIds;
    }

    private Job buildJob(DataMigrationRun run, int slices, long keysInDatabase,
            AtomicBoolean walkedUnderSeveralServers) {
        String workerName = workerStepName(run.id());
        SimpleAsyncTaskExecutor partitionThreads = new SimpleAsyncTaskExecutor("partition-");
        partitionThreads.setConcurrencyLimit(run.settings().threads());
        Step partitioned = new StepBuilder(managerStepName(run.id()), jobRepository)
                .partitioner(workerName, new ScanSlicePartitioner(run.migration().keys().patterns(), keysInDatabase))
                .step(new PartitionWorkerStep(workerName, jobRepository, transactionManager, run))
                .gridSize(slices)
                .taskExecutor(partitionThreads)
                .build();
        JobBuilder job = new JobBuilder(JOB_NAME, jobRepository);
        if (run.settings().dryRun()) {
            return job.start(partitioned).build();
        }
        Step record = new StepBuilder("record:" + run.id(), jobRepository)
                .tasklet((contribution, chunk) -> {
                    JobInstance instance = chunk.getStepContext().getStepExecution().getJobExecution()
                            .getJobInstance();
                    if (serversWalked(instance, run.id()).size() > 1) {
                        // Not applied: this instance ends here and the launcher starts a new one over every slice.
                        walkedUnderSeveralServers.set(true);
                        return RepeatStatus.FINISHED;
                    }
                    if (run.direction() == DataMigrationRun.Direction.ROLLBACK) {
                        applied.markRolledBack(run.id());
                    } else {
                        JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
                        applied.markApplied(run.id(), applicationRecord(run, execution.getJobInstance(), slices));
                    }
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .build();
        return job.start(partitioned).next(record).build();
    }

    /** Totals over every execution of the instance, so a resumed run's record covers the whole migration. */
    private ApplicationRecord applicationRecord(DataMigrationRun run, JobInstance instance, int slices) {
        List<JobExecution> executions = jobRepository.getJobExecutions(instance);
        Instant first = executions.stream().map(JobExecution::getStartTime).filter(java.util.Objects::nonNull)
                .map(started -> started.atZone(java.time.ZoneId.systemDefault()).toInstant())
                .min(Instant::compareTo).orElse(Instant.now());
        PartitionTotals totals = PartitionTotals.of(executions, run.id());
        return new ApplicationRecord(Instant.now().toString(), Duration.between(first, Instant.now()).toMillis(),
                totals.read(), totals.changed(), totals.unchanged(), totals.skipped(),
                slices * run.migration().keys().patterns().size(), ranBy(), run.migration().description(),
                MigrationChecksum.of(run.migration()), "applied", ConfiguredMigration.of(run.migration()));
    }

    public static String ranBy() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name", "unknown") + "@" + host + " (redis-om-batch)";
    }
}
