package dev.redisombatch.batch.data;

import dev.redisombatch.batch.data.partition.ScanSlicePartitioner;
import dev.redisombatch.batch.data.partition.ScanTarget;
import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.partition.SliceCoverage;
import dev.redisombatch.batch.data.step.DataMigrationRun;
import dev.redisombatch.batch.data.step.DataRunContext;
import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.data.step.PartitionWorkerStep;
import dev.redisombatch.batch.data.store.DocumentStore;
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
import dev.redisombatch.batch.redis.ScanLayout;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.remote.ManagerProgress;
import dev.redisombatch.batch.remote.RemoteWorkers;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.state.RanBy;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import dev.redisombatch.migration.DataMigration;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
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
    private final boolean allowEmpty;
    private final RemoteWorkers workers;

    /**
     * @param allowEmpty mark a migration applied although its keys matched nothing
     * @param workers the worker processes' queue ({@code --workers=remote}); null to run partitions here
     */
    public DataMigrationLauncher(BatchInfrastructure batch, AppliedState applied, boolean allowEdited,
            boolean allowEmpty, RemoteWorkers workers) {
        this.batch = batch;
        this.applied = applied;
        this.executions = new MigrationExecutions(batch.jobRepository());
        this.allowEdited = allowEdited;
        this.allowEmpty = allowEmpty;
        this.workers = workers;
    }

    /** Runs (or resumes) the migration in the given direction. */
    public DataMigrationOutcome run(DataMigration migration, Direction direction, DataRunContext context)
            throws Exception {
        for (int walk = 1; ; walk++) {
            AtomicReference<String> walkAgainBecause = new AtomicReference<>();
            DataMigrationOutcome outcome = walk(migration, direction, context, walkAgainBecause);
            if (walkAgainBecause.get() == null) {
                return outcome;
            }
            String why = migration.id() + ": " + walkAgainBecause.get();
            if (walk == MAX_WALKS || context.stop().isRequested()) {
                throw new RedisOmBatchException(context.stop().isRequested() ? Failure.STOPPED : Failure.INTERRUPTED,
                        why + "; not marked applied after " + walk + " walk(s). Run the same command again when the"
                                + " server is steady");
            }
            log.warn("{}. Walking every slice again (unchanged documents are not written)", why);
        }
    }

    private DataMigrationOutcome walk(DataMigration migration, Direction direction, DataRunContext context,
            AtomicReference<String> walkAgainBecause) throws Exception {
        DataStepSettings settings = context.settings();
        String checksum = MigrationChecksum.of(migration);
        long generation = applied.generation(migration.id());
        // A run that may write marks data no run has marked yet, so that its checkpoints are bound to this data.
        Topology topology = context.redis().call("read the topology", commands -> settings.dryRun()
                ? context.redis().topology() : context.redis().markDataset());
        context.redis().call("ask whether scripts may span hash slots",
                commands -> context.redis().groupsWritesBySlot());
        RunIdentity identity = new RunIdentity(MigrationExecutions.JOB_NAME, migration.id(), context.redis().target(),
                direction.label() + (settings.dryRun() ? "-dry-run" : ""), generation, checksum, topology.dataset());
        ResumableInstance instance = ResumableInstance.find(batch.jobRepository(), batch.jobOperator(), identity);
        JobExecution previous = instance.previous();
        if (instance.previousChecksum() != null && !MigrationChecksum.matches(migration, instance.previousChecksum())) {
            String what = migration.id() + ": its code changed since the unfinished run started (checksum "
                    + abbreviate(instance.previousChecksum()) + " then, " + abbreviate(checksum) + " now)";
            if (!allowEdited) {
                throw RedisOmBatchException.plan(what + "; documents migrated by the old code would be mixed with"
                        + " documents migrated by the new. Restore the code, or give --allow-edited to go on");
            }
            log.warn("{}; going on (--allow-edited)", what);
        }
        int partitions;
        int completedEarlier = 0;
        Partitioner partitioner;
        if (previous == null) {
            List<ScanTarget> targets = targets(context, topology);
            logLayouts(migration.id(), targets);
            KeySelector keys = DocumentStore.typesOn(context.redis(), migration.keys());
            ScanSlicePartitioner slices = new ScanSlicePartitioner(keys, targets, settings.partitions());
            partitioner = slices;
            partitions = slices.count();
            if (partitions < settings.partitions() * targets.size() * keys.patterns().size() * keys.types().size()) {
                log.info("{}: {} keys on {}, so {} partitions in all", migration.id(),
                        targets.stream().mapToLong(ScanTarget::keys).sum(), context.redis().target(), partitions);
            }
        } else {
            // Spring Batch asks the partitioner again on a restart and starts any partition of a name it has not
            // seen: slices cut afresh (the key counts, hence the slice counts, move) would walk keys twice or mix
            // two cuts. The previous partitions, as they were, are the ones to resume.
            Map<String, ExecutionContext> previousPartitions = executions.partitions(previous.getJobInstance(),
                    migration.id());
            partitioner = gridSize -> previousPartitions;
            partitions = previousPartitions.size();
            completedEarlier = (int) executions.lastPerPartition(previous.getJobInstance(), migration.id()).values()
                    .stream().filter(partition -> partition.getStatus() == BatchStatus.COMPLETED).count();
            log.info("{}: resuming job instance {} (last execution {} {}); {} of {} partitions already complete",
                    migration.id(), previous.getJobInstance().getInstanceId(), previous.getId(),
                    previous.getStatus(), completedEarlier, partitions);
        }

        MigrationProgress progress = new MigrationProgress(migration.id(), partitions, completedEarlier,
                MigrationMeters.of(context.metrics(), migration.id()));
        DataMigrationRun run = new DataMigrationRun(migration, direction, generation, context, progress);
        AtomicReference<DocumentCounts> recorded = new AtomicReference<>();
        AtomicBoolean leftPending = new AtomicBoolean();
        Job job = buildJob(run, identity, partitioner, partitions, walkAgainBecause, recorded, leftPending);
        JobParameters parameters = RunOptions.of(settings, ConfiguredMigration.of(migration))
                .addTo(instance.parameters());
        JobExecution execution;
        try (AutoCloseable ignored = workers == null ? new ProgressReporter(progress, settings.progressInterval())
                : new ManagerProgress(batch.jobRepository(), workers.queue(), migration.id(),
                        MigrationExecutions.JOB_NAME, parameters, MigrationExecutions.workerStepName(migration.id()),
                        settings.progressInterval())) {
            execution = batch.jobOperator().start(job, parameters);
        }
        // Once the record holds the exact change count, the record step drops it from Redis: report what it recorded.
        // A run that did not complete reports what this execution did, pages not yet checkpointed included: the
        // checkpoints hold only what was committed, and a run failing within its first pages said "0 read". (The
        // manager of remote workers sees only their checkpoints.)
        DocumentCounts counts = recorded.get() != null ? recorded.get()
                : execution.getStatus() != BatchStatus.COMPLETED && workers == null ? progress.snapshot().counts()
                : countsOfRun(run, identity, execution.getJobInstance());
        return new DataMigrationOutcome(migration.id(), direction, settings.dryRun(),
                execution.getStatus().toString(), execution.getId(), counts, List.copyOf(run.examples()),
                failureOf(execution, context), leftPending.get());
    }

    /** Why an execution did not complete, as one classified failure; null when it completed. */
    private static RedisOmBatchException failureOf(JobExecution execution, DataRunContext context) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return null;
        }
        if (execution.getStatus() == BatchStatus.STOPPED || context.stop().isRequested()) {
            return new RedisOmBatchException(Failure.STOPPED, "stopped at a page boundary with its checkpoint saved");
        }
        // The partitions' own failures say what went wrong; the manager step only adds "Partition handler returned
        // an unsuccessful step", and a data error in one partition makes the others stop with an echo of it.
        return Failures.mostTelling(execution.getAllFailureExceptions().stream().map(Failures::classify)
                        .filter(failure -> !failure.getMessage().contains("Partition handler returned")
                                && !failure.getMessage().startsWith("stopping:")).toList())
                .orElseGet(() -> new RedisOmBatchException(Failure.INTERRUPTED, "ended " + execution.getStatus()
                        + " with no error recorded"));
    }

    /** The single server, or every cluster master, with its key count, its SCAN cursor layout and its slots. */
    private static List<ScanTarget> targets(DataRunContext context, Topology topology) {
        return topology.masters().stream()
                .map(master -> new ScanTarget(master.nodeId(), master.address(),
                        context.redis().call("DBSIZE of " + master.address(),
                                commands -> context.redis().keysOn(master.nodeId())), master.scanLayout(),
                        master.slots()))
                .toList();
    }

    /** Says how servers whose SCAN cursor is not the classic one-table cursor are sliced. */
    private static void logLayouts(String migrationId, List<ScanTarget> targets) {
        for (ScanLayout layout : List.of(ScanLayout.SLOT_TABLES, ScanLayout.UNKNOWN)) {
            List<String> servers = targets.stream().filter(target -> target.layout() == layout)
                    .map(ScanTarget::address).toList();
            if (servers.isEmpty()) {
                continue;
            }
            if (layout == ScanLayout.SLOT_TABLES) {
                log.info("{}: {} keep(s) one table per hash slot (a Redis 7.4+ or Valkey 8+ cluster node): sliced by"
                        + " slot ranges", migrationId, servers);
            } else {
                log.warn("{}: the SCAN cursor layout of {} is not recognised (INFO server names no Redis or Valkey"
                        + " version known here): each is walked as one slice, from cursor 0 back to 0",
                        migrationId, servers);
            }
        }
    }

    /**
     * Whether every slice of the instance was walked under one topology (masters, slots, run_ids, dataset tokens), as
     * their checkpoints say, and that topology is still the one there is now. Otherwise keys may have moved past a
     * walk (a restart gives a server a new hash seed; a failover or a slot move carries keys to another master), or
     * the data walked is not the data there is (flushed, restored or replaced during or after the walk), so every
     * slice is walked again.
     */
    private boolean walkedUnderTheTopologyThereIs(DataMigrationRun run, JobInstance instance) {
        Set<String> topologies = new HashSet<>();
        for (SliceCheckpoint checkpoint : executions.checkpoints(instance, run.id())) {
            if (!checkpoint.topologyAtStart().isEmpty()) {
                topologies.add(checkpoint.topologyAtStart());
            }
            if (!checkpoint.topologyAtEnd().isEmpty()) {
                topologies.add(checkpoint.topologyAtEnd());
            }
        }
        String now = run.context().redis().call("read the topology", commands -> run.context().redis().topology())
                .fingerprint();
        return topologies.equals(Set.of(now));
    }

    /**
     * @param walkAgainBecause set, to why, when the run is not recorded because its walk may have missed keys: its
     *        slices saw several topologies, or their checkpoints do not prove every key was walked
     * @param recorded set to the counts the record step wrote
     */
    private Job buildJob(DataMigrationRun run, RunIdentity identity, Partitioner partitioner, int partitions,
            AtomicReference<String> walkAgainBecause, AtomicReference<DocumentCounts> recorded,
            AtomicBoolean leftPending) {
        Step partitioned = workers == null ? localPartitions(run, partitioner, partitions)
                : remotePartitions(run, partitioner, partitions);
        JobBuilder job = new JobBuilder(MigrationExecutions.JOB_NAME, batch.jobRepository());
        if (run.settings().dryRun()) {
            return job.start(partitioned).build();
        }
        Step record = new StepBuilder("record:" + run.id(), batch.jobRepository())
                .tasklet((contribution, chunk) -> {
                    JobInstance instance = chunk.getStepContext().getStepExecution().getJobExecution()
                            .getJobInstance();
                    // Not applied in either case: this instance ends here and the launcher starts a new one over
                    // every slice (a rerun of a failed instance would only find its partitions complete again).
                    if (!walkedUnderTheTopologyThereIs(run, instance)) {
                        walkAgainBecause.set("the Redis server restarted, failed over, moved slots, or its data was"
                                + " flushed or replaced while the slices were walked (partitions walked under"
                                + " different topologies or data); keys may have moved past a slice already walked");
                        return RepeatStatus.FINISHED;
                    }
                    Optional<String> unproven = SliceCoverage.unproven(executions.checkpoints(instance, run.id()),
                            partitions);
                    if (unproven.isPresent()) {
                        walkAgainBecause.set(unproven.get() + ", so not every key is known to have been walked");
                        return RepeatStatus.FINISHED;
                    }
                    DocumentCounts counts = countsOfRun(run, identity, instance);
                    if (counts.read() == 0 && run.direction() == Direction.APPLY && !allowEmpty
                            && !run.migration().mayMatchNothing()) {
                        log.warn("{}: its key patterns {} matched no {} at all on {}: not marked applied, it stays"
                                + " pending and runs once such keys exist. Check the patterns and the database"
                                + " number; --allow-empty marks it applied anyway", run.id(),
                                run.migration().keys().patterns(), typeNames(run.migration().keys()),
                                run.context().redis().target());
                        leftPending.set(true);
                        recorded.set(counts);
                        return RepeatStatus.FINISHED;
                    }
                    recorded.set(record(run, identity, counts, partitions));
                    return RepeatStatus.FINISHED;
                }, batch.transactionManager())
                .build();
        return job.start(partitioned).next(record).build();
    }

    /** Partitions run by {@code --threads} threads of this process. */
    private Step localPartitions(DataMigrationRun run, Partitioner partitioner, int partitions) {
        String workerName = MigrationExecutions.workerStepName(run.id());
        SimpleAsyncTaskExecutor partitionThreads = new SimpleAsyncTaskExecutor("partition-");
        partitionThreads.setConcurrencyLimit(run.settings().threads());
        return new StepBuilder(MigrationExecutions.managerStepName(run.id()), batch.jobRepository())
                .partitioner(workerName, partitioner)
                .step(new PartitionWorkerStep(workerName, batch.jobRepository(), batch.transactionManager(), run))
                .gridSize(partitions)
                .taskExecutor(partitionThreads)
                .build();
    }

    /**
     * Partitions sent as requests to the worker processes' queue; this manager then reads their state from the job
     * repository until every one has ended (Spring Batch's remote partitioning, polling mode: no reply travels back),
     * within the bounds of {@link dev.redisombatch.batch.remote.RemotePartitionHandler}.
     */
    private Step remotePartitions(DataMigrationRun run, Partitioner partitioner, int partitions) {
        String workerName = MigrationExecutions.workerStepName(run.id());
        return new StepBuilder(MigrationExecutions.managerStepName(run.id()), batch.jobRepository())
                .partitioner(workerName, partitioner)
                .partitionHandler(workers.handler(batch.jobRepository(), workerName, run.id()))
                .gridSize(partitions)
                .build();
    }

    private DocumentCounts record(DataMigrationRun run, RunIdentity identity, DocumentCounts counts, int partitions) {
        if (counts.read() == 0) {
            log.warn("{}: its key patterns {} matched no {} at all on {}: nothing was migrated. Check the patterns"
                    + " (and the database number)", run.id(), run.migration().keys().patterns(),
                    typeNames(run.migration().keys()), run.context().redis().target());
        }
        switch (run.direction()) {
            case ROLLBACK -> applied.markRolledBack(run.id());
            case APPLY -> applied.markApplied(run.id(), new AppliedRecord(Instant.now().toString(),
                    durationOfGeneration(identity), counts, partitions, RanBy.describe(),
                    run.migration().description(), MigrationChecksum.of(run.migration()), "applied",
                    run.generation() + 1, ConfiguredMigration.of(run.migration())).asFields());
            // Still applied, in the same generation: the record says when it was walked again and what that found.
            case REWALK -> applied.amendRecord(run.id(), Map.of("rewalked_at", Instant.now().toString(),
                    "rewalk_keys_read", Long.toString(counts.read()), "rewalk_changed",
                    Long.toString(counts.changed()), "rewalk_skipped", Long.toString(counts.skipped()),
                    "rewalked_by", RanBy.describe()));
        }
        run.changedCounter().clear(run.context().redis());
        return counts;
    }

    /**
     * What every execution of this run counted: the partitions' checkpoints summed over the job instances of its
     * generation (a re-walk after a server restart is another instance of the same generation; a dry run is only
     * itself), with the exact number of documents changed that the write script kept in Redis, when it kept one.
     */
    private DocumentCounts countsOfRun(DataMigrationRun run, RunIdentity identity, JobInstance current) {
        DocumentCounts totals = DocumentCounts.NONE;
        // A dry run or a rewalk is only itself: the generation's other instances are earlier dry runs or rewalks.
        boolean onlyItself = run.settings().dryRun() || run.direction() == Direction.REWALK;
        for (JobInstance instance : onlyItself ? List.of(current) : instancesOfGeneration(identity)) {
            totals = totals.plus(executions.totals(instance, run.id()));
        }
        long exact = run.settings().dryRun() ? -1 : run.changedCounter().read(run.context().redis());
        return exact >= 0 ? totals.withChanged(exact) : totals;
    }

    /**
     * How long the executions of this generation ran, added up, so that the time between runs (a run left pending, a
     * failed run and its rerun an hour later) is not counted. The execution recording now runs until now. (A killed
     * execution counts until it was recovered: Spring Batch's recovery sets its end then.)
     */
    private long durationOfGeneration(RunIdentity identity) {
        LocalDateTime now = LocalDateTime.now();
        return instancesOfGeneration(identity).stream()
                .flatMap(instance -> batch.jobRepository().getJobExecutions(instance).stream())
                .filter(execution -> execution.getStartTime() != null)
                .mapToLong(execution -> Duration.between(execution.getStartTime(),
                        execution.getEndTime() != null ? execution.getEndTime() : now).toMillis())
                .sum();
    }

    /** The instances of this run's generation on the same data: a re-walk is another instance of it. */
    private List<JobInstance> instancesOfGeneration(RunIdentity identity) {
        return batch.jobRepository().getJobInstances(MigrationExecutions.JOB_NAME, 0, 10_000).stream()
                .filter(instance -> {
                    JobExecution last = batch.jobRepository().getLastJobExecution(instance);
                    // An abandoned run was given up on: what it read is not part of this run's account.
                    return last != null && last.getStatus() != BatchStatus.ABANDONED
                            && identity.sameDataAs(RunIdentity.of(MigrationExecutions.JOB_NAME,
                                    last.getJobParameters()));
                }).toList();
    }

    private static String typeNames(KeySelector keys) {
        return keys.types().stream().map(RedisType::redisName).collect(java.util.stream.Collectors.joining(" or "));
    }

    private static String abbreviate(String checksum) {
        return checksum == null ? "none" : checksum.substring(0, Math.min(12, checksum.length()));
    }
}
