package dev.redisombatch.batch.data;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.ResumableInstance;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.ops.MigrationMeters;
import dev.redisombatch.batch.ops.MigrationProgress;
import dev.redisombatch.batch.ops.ProgressReporter;
import dev.redisombatch.batch.plan.AppliedRecord;
import dev.redisombatch.batch.plan.ConfiguredMigration;
import dev.redisombatch.batch.plan.MigrationChecksum;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.state.RanBy;
import dev.redisombatch.migration.DataMigration;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Runs one data migration as a Spring Batch job: a partitioned step over SCAN slices, then (unless dry) a step that
 * records the migration applied (or rolled back) with the counts of every execution of the run.
 *
 * <p>The same command after a failure continues the same job instance ({@link ResumableInstance}), and Spring Batch
 * reruns only the partitions that did not complete, each from its checkpoint. A run of an older generation of the
 * migration is never continued, nor one whose code has changed since (unless {@code --allow-edited}).
 */
public final class DataMigrationLauncher {

    private static final Logger log = LoggerFactory.getLogger(DataMigrationLauncher.class);
    /** Walks of every slice a migration gets while the server keeps restarting, before the run gives up. */
    private static final int MAX_WALKS = 3;

    private final BatchInfrastructure batch;
    private final AppliedState applied;
    private final MigrationExecutions executions;
    private final boolean allowEdited;

    public DataMigrationLauncher(BatchInfrastructure batch, AppliedState applied, boolean allowEdited) {
        this.batch = batch;
        this.applied = applied;
        this.executions = new MigrationExecutions(batch.jobRepository());
        this.allowEdited = allowEdited;
    }

    /** Runs (or resumes) the migration in the given direction. */
    public DataMigrationOutcome run(DataMigration migration, Direction direction, DataRunContext context)
            throws Exception {
        for (int walk = 1; ; walk++) {
            AtomicBoolean walkedUnderSeveralServers = new AtomicBoolean();
            DataMigrationOutcome outcome = walk(migration, direction, context, walkedUnderSeveralServers);
            if (!walkedUnderSeveralServers.get()) {
                return outcome;
            }
            String why = migration.id() + ": the Redis server restarted while the slices were walked (partitions"
                    + " finished under different run_ids); a restarted server hashes keys with a new seed, so a slice"
                    + " finished before may have missed keys that moved into it";
            if (walk == MAX_WALKS || context.stop().isRequested()) {
                throw new RedisOmBatchException(context.stop().isRequested() ? Failure.STOPPED : Failure.INTERRUPTED,
                        why + "; not marked applied after " + walk + " walk(s). Run the same command again when the"
                                + " server is steady");
            }
            log.warn("{}. Walking every slice again (unchanged documents are not written)", why);
        }
    }

    private DataMigrationOutcome walk(DataMigration migration, Direction direction, DataRunContext context,
            AtomicBoolean walkedUnderSeveralServers) throws Exception {
        DataStepSettings settings = context.settings();
        String checksum = MigrationChecksum.of(migration);
        long generation = applied.generation(migration.id());
        RunIdentity identity = new RunIdentity(MigrationExecutions.JOB_NAME, migration.id(), context.redis().target(),
                direction.label() + (settings.dryRun() ? "-dry-run" : ""), generation, checksum);
        ResumableInstance instance = ResumableInstance.find(batch.jobRepository(), batch.jobOperator(), identity);
        JobExecution previous = instance.previous();
        if (instance.codeChangedSince(checksum)) {
            String what = migration.id() + ": its code changed since the unfinished run started (checksum "
                    + abbreviate(instance.previousChecksum()) + " then, " + abbreviate(checksum) + " now)";
            if (!allowEdited) {
                throw RedisOmBatchException.plan(what + "; documents migrated by the old code would be mixed with"
                        + " documents migrated by the new. Restore the code, or give --allow-edited to go on");
            }
            log.warn("{}; going on (--allow-edited)", what);
        }
        long keys = context.redis().call("DBSIZE", commands -> commands.dbsize());
        int slices;
        int completedEarlier = 0;
        if (previous == null) {
            slices = PartitionCount.effective(settings.partitions(), keys);
            if (slices < settings.partitions()) {
                log.info("{}: {} keys in the database, so {} partitions instead of {}", migration.id(), keys, slices,
                        settings.partitions());
            }
        } else {
            List<SliceCheckpoint> checkpoints = executions.checkpoints(previous.getJobInstance(), migration.id());
            slices = checkpoints.isEmpty() ? PartitionCount.effective(settings.partitions(), keys)
                    : checkpoints.get(0).slice().count();
            completedEarlier = (int) executions.lastPerPartition(previous.getJobInstance(), migration.id()).values()
                    .stream().filter(partition -> partition.getStatus() == BatchStatus.COMPLETED).count();
            log.info("{}: resuming job instance {} (last execution {} {}); {} of {} partitions already complete",
                    migration.id(), previous.getJobInstance().getInstanceId(), previous.getId(),
                    previous.getStatus(), completedEarlier, slices * migration.keys().patterns().size());
        }

        int partitions = slices * migration.keys().patterns().size();
        MigrationProgress progress = new MigrationProgress(migration.id(), partitions, completedEarlier,
                MigrationMeters.of(context.metrics(), migration.id()));
        DataMigrationRun run = new DataMigrationRun(migration, direction, generation, context, progress,
                DryRunWriter.newExampleList());
        Job job = buildJob(run, slices, keys, walkedUnderSeveralServers);
        JobExecution execution;
        try (ProgressReporter ignored = new ProgressReporter(progress, settings.progressInterval())) {
            execution = batch.jobOperator().start(job, instance.parameters());
        }
        DocumentCounts counts = countsOfRun(run, execution.getJobInstance());
        return new DataMigrationOutcome(migration.id(), direction, settings.dryRun(),
                execution.getStatus().toString(), execution.getId(), counts, List.copyOf(run.examples()),
                failureOf(execution, context));
    }

    /** Why an execution did not complete, as one classified failure; null when it completed. */
    private static RedisOmBatchException failureOf(JobExecution execution, DataRunContext context) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return null;
        }
        if (execution.getStatus() == BatchStatus.STOPPED || context.stop().isRequested()) {
            return new RedisOmBatchException(Failure.STOPPED, "stopped at a page boundary with its checkpoint saved");
        }
        List<Throwable> failures = execution.getAllFailureExceptions();
        // A data error in one partition makes the others stop at their next page: report the cause, not the echo.
        return failures.stream().map(Failures::classify).filter(f -> f.failure() == Failure.DATA
                        && !f.getMessage().startsWith("stopping:")).findFirst()
                .or(() -> failures.stream().map(Failures::classify).findFirst())
                .orElseGet(() -> new RedisOmBatchException(Failure.INTERRUPTED, "ended " + execution.getStatus()
                        + " with no error recorded"));
    }

    /** The run_ids of the servers the partitions of the instance were walked on, as their checkpoints say. */
    private Set<String> serversWalked(JobInstance instance, String migrationId) {
        Set<String> runIds = new HashSet<>();
        for (SliceCheckpoint checkpoint : executions.checkpoints(instance, migrationId)) {
            if (!checkpoint.runId().isEmpty()) {
                runIds.add(checkpoint.runId());
            }
        }
        return runIds;
    }

    private Job buildJob(DataMigrationRun run, int slices, long keysInDatabase,
            AtomicBoolean walkedUnderSeveralServers) {
        String workerName = MigrationExecutions.workerStepName(run.id());
        SimpleAsyncTaskExecutor partitionThreads = new SimpleAsyncTaskExecutor("partition-");
        partitionThreads.setConcurrencyLimit(run.settings().threads());
        Step partitioned = new StepBuilder(MigrationExecutions.managerStepName(run.id()), batch.jobRepository())
                .partitioner(workerName, new ScanSlicePartitioner(run.migration().keys().patterns(), keysInDatabase))
                .step(new PartitionWorkerStep(workerName, batch.jobRepository(), batch.transactionManager(), run))
                .gridSize(slices)
                .taskExecutor(partitionThreads)
                .build();
        JobBuilder job = new JobBuilder(MigrationExecutions.JOB_NAME, batch.jobRepository());
        if (run.settings().dryRun()) {
            return job.start(partitioned).build();
        }
        Step record = new StepBuilder("record:" + run.id(), batch.jobRepository())
                .tasklet((contribution, chunk) -> {
                    JobInstance instance = chunk.getStepContext().getStepExecution().getJobExecution()
                            .getJobInstance();
                    if (serversWalked(instance, run.id()).size() > 1) {
                        // Not applied: this instance ends here and the launcher starts a new one over every slice.
                        walkedUnderSeveralServers.set(true);
                        return RepeatStatus.FINISHED;
                    }
                    record(run, slices, instance);
                    return RepeatStatus.FINISHED;
                }, batch.transactionManager())
                .build();
        return job.start(partitioned).next(record).build();
    }

    private void record(DataMigrationRun run, int slices, JobInstance current) {
        DocumentCounts counts = countsOfRun(run, current);
        if (counts.read() == 0) {
            log.warn("{}: its key patterns {} matched no {} at all on {}: nothing was migrated. Check the patterns"
                    + " (and the database number)", run.id(), run.migration().keys().patterns(),
                    run.migration().keys().type().redisName(), run.context().redis().target());
        }
        if (run.direction() == Direction.ROLLBACK) {
            applied.markRolledBack(run.id());
        } else {
            applied.markApplied(run.id(), new AppliedRecord(Instant.now().toString(), durationOfGeneration(run),
                    counts, slices * run.migration().keys().patterns().size(), RanBy.describe(),
                    run.migration().description(), MigrationChecksum.of(run.migration()), "applied",
                    run.generation() + 1, ConfiguredMigration.of(run.migration())).asFields());
        }
        run.changedCounter().clear(run.context().redis());
    }

    /**
     * What every execution of this run counted: the partitions' checkpoints summed over the job instances of its
     * generation (a re-walk after a server restart is another instance of the same generation; a dry run is only
     * itself), with the exact number of documents changed that the conditional write script kept in Redis, when it
     * kept one.
     */
    private DocumentCounts countsOfRun(DataMigrationRun run, JobInstance current) {
        DocumentCounts totals = DocumentCounts.NONE;
        for (JobInstance instance : run.settings().dryRun() ? List.of(current) : instancesOfGeneration(run)) {
            totals = totals.plus(executions.totals(instance, run.id()));
        }
        long exact = run.settings().dryRun() ? -1 : run.changedCounter().read(run.context().redis());
        return exact >= 0 ? totals.withChanged(exact) : totals;
    }

    private long durationOfGeneration(DataMigrationRun run) {
        Instant first = instancesOfGeneration(run).stream()
                .flatMap(instance -> batch.jobRepository().getJobExecutions(instance).stream())
                .map(JobExecution::getStartTime).filter(Objects::nonNull)
                .map(started -> started.atZone(ZoneId.systemDefault()).toInstant())
                .min(Instant::compareTo).orElse(Instant.now());
        return Duration.between(first, Instant.now()).toMillis();
    }

    private List<JobInstance> instancesOfGeneration(DataMigrationRun run) {
        return batch.jobRepository().getJobInstances(MigrationExecutions.JOB_NAME, 0, 10_000).stream()
                .filter(instance -> {
                    JobExecution last = batch.jobRepository().getLastJobExecution(instance);
                    if (last == null) {
                        return false;
                    }
                    RunIdentity identity = RunIdentity.of(MigrationExecutions.JOB_NAME, last.getJobParameters());
                    return run.id().equals(identity.migrationId()) && identity.generation() == run.generation()
                            && identity.mode().equals(run.direction().label()
                                    + (run.settings().dryRun() ? "-dry-run" : ""))
                            && identity.target().equals(run.context().redis().target());
                }).toList();
    }

    private static String abbreviate(String checksum) {
        return checksum == null ? "none" : checksum.substring(0, Math.min(12, checksum.length()));
    }
}
