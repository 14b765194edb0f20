package dev.redisombatch.batch.data;

import dev.redisombatch.batch.data.partition.SlotProof;
import dev.redisombatch.batch.data.step.DataMigrationRun;
import dev.redisombatch.batch.data.step.DataRunContext;
import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.ResumableInstance;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.jobs.RunningElsewhere;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.ops.MigrationMeters;
import dev.redisombatch.batch.ops.MigrationProgress;
import dev.redisombatch.batch.ops.ProgressReporter;
import dev.redisombatch.batch.plan.ConfiguredMigration;
import dev.redisombatch.batch.plan.EditedSinceApplied;
import dev.redisombatch.batch.plan.MigrationChecksum;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.remote.ManagerProgress;
import dev.redisombatch.batch.remote.RemoteWorkers;
import dev.redisombatch.batch.results.DataMigrationOutcome;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.migration.DataMigration;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.dao.DuplicateKeyException;

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
    /**
     * Walks in a row that prove no slot more than the walk before them (the server keeps restarting, the cluster keeps
     * moving the slots being walked) before the run gives up.
     */
    private static final int MAX_FRUITLESS_WALKS = 2;

    private final BatchInfrastructure batch;
    private final AppliedState applied;
    private final MigrationExecutions executions;
    private final MigrationJob jobs;
    private final boolean allowEdited;
    private final boolean allowEmpty;
    private final RemoteWorkers workers;
    private final Duration lockTtl;

    /**
     * @param allowEmpty mark a migration applied although its keys matched nothing
     * @param workers the worker processes' queue ({@code --workers=remote}); null to run partitions here
     * @param lockTtl the run lock's TTL: how long a dry run, which takes no lock, waits for another process's dry run
     *     of the same migration to record progress before it takes that run for dead ({@link LiveExecutions})
     */
    public DataMigrationLauncher(
            BatchInfrastructure batch,
            AppliedState applied,
            boolean allowEdited,
            boolean allowEmpty,
            RemoteWorkers workers,
            Duration lockTtl) {
        this.batch = batch;
        this.applied = applied;
        this.executions = new MigrationExecutions(batch.jobRepository());
        this.jobs = new MigrationJob(batch, workers);
        this.allowEdited = allowEdited;
        this.allowEmpty = allowEmpty;
        this.workers = workers;
        this.lockTtl = lockTtl;
    }

    /** One walk's end: how the run ended, or which slots must be walked again and why. */
    private record Walk(DataMigrationOutcome outcome, String walkAgainBecause, SlotSet unproven) {}

    /**
     * Runs (or resumes) the migration in the given direction: walks until every slot is proven walked, each walk
     * after the first over the slots not proven yet, as long as walks keep proving more.
     */
    public DataMigrationOutcome run(DataMigration migration, Direction direction, DataRunContext context)
            throws Exception {
        SlotSet unprovenBefore = SlotSet.ALL;
        int fruitless = 0;
        for (int walk = 1; ; walk++) {
            Walk walked = walk(migration, direction, context);
            if (walked.walkAgainBecause() == null) {
                return walked.outcome();
            }
            String why = migration.id() + ": " + walked.walkAgainBecause();
            fruitless = walk > 1 && walked.unproven().size() >= unprovenBefore.size() ? fruitless + 1 : 0;
            unprovenBefore = walked.unproven();
            if (fruitless == MAX_FRUITLESS_WALKS || context.stop().isRequested()) {
                throw context.stop()
                        .reclassify(new RedisOmBatchException(
                                Failure.INTERRUPTED,
                                why + "; not marked applied after " + walk + " walk(s)"
                                        + (context.stop().isRequested()
                                                ? ""
                                                : ", the last " + fruitless + " proving no slot more (the servers"
                                                        + " change faster than they can be walked)")
                                        + ". Run the same command again when they are steady: it walks only what"
                                        + " is not proven yet"));
            }
            log.warn(
                    "{}. Walking {} again (unchanged documents are not written)",
                    why,
                    context.redis().isCluster() ? SlotProof.describe(walked.unproven()) : "every slice");
        }
    }

    private Walk walk(DataMigration migration, Direction direction, DataRunContext context) throws Exception {
        DataStepSettings settings = context.settings();
        String checksum = MigrationChecksum.of(migration);
        long generation = applied.generation(migration.id());
        // A run that may write marks data no run has marked yet, so that its checkpoints are bound to this data.
        Topology topology = context.redis()
                .call(
                        "read the topology",
                        commands -> settings.dryRun()
                                ? context.redis().topology()
                                : context.redis().markDataset());
        context.redis()
                .call(
                        "ask whether scripts may span hash slots",
                        commands -> context.redis().groupsWritesBySlot());
        RunIdentity identity = new RunIdentity(
                MigrationExecutions.JOB_NAME,
                migration.id(),
                context.redis().target(),
                direction.label() + (settings.dryRun() ? RunIdentity.DRY_RUN : ""),
                generation,
                checksum,
                topology.dataset());
        ResumableInstance instance = ResumableInstance.find(
                batch.jobRepository(),
                batch.jobOperator(),
                identity,
                true,
                settings.dryRun() ? new LiveExecutions(lockTtl) : RunningElsewhere.NEVER);
        JobExecution previous = instance.previous();
        if (instance.previousChecksum() != null && !MigrationChecksum.matches(migration, instance.previousChecksum())) {
            String what = migration.id() + ": its code changed since the unfinished run started (checksum "
                    + abbreviate(instance.previousChecksum()) + " then, " + abbreviate(checksum) + " now)";
            new EditedSinceApplied(allowEdited)
                    .refuseUnlessAllowed(
                            what + "; documents migrated by the old code"
                                    + " would be mixed with documents migrated by the new. Restore the code, or give --allow-edited to"
                                    + " go on",
                            what + "; going on (--allow-edited)");
        }
        PartitionPlan plan = previous == null
                ? PartitionPlan.fresh(migration, context, topology, slotsToWalk(identity, topology, settings))
                : PartitionPlan.resumed(executions, previous, migration.id());
        if (workers == null) {
            // Remote workers keep their own budgets (--max-errors counts per worker); see docs/several-nodes.md.
            context.budget().spendEarlier(migration.id(), plan.skippedEarlier());
        }

        MigrationProgress progress = new MigrationProgress(
                migration.id(),
                plan.count(),
                plan.completedEarlier(),
                MigrationMeters.of(context.metrics(), migration.id()),
                // A dry run writes nothing: its progress lines count what it would have written.
                settings.dryRun() ? "would change" : "changed");
        DataMigrationRun run = new DataMigrationRun(migration, direction, generation, context, progress);
        RecordTasklet record = settings.dryRun()
                ? null
                : new RecordTasklet(run, identity, plan.count(), executions, applied, allowEmpty);
        Job job = jobs.build(run, plan, record);
        JobParameters parameters = LiveExecutions.naming(
                identity.mode(),
                RunOptions.of(settings, ConfiguredMigration.of(migration)).addTo(instance.parameters()));
        JobExecution execution;
        try (AutoCloseable ignored = workers == null
                ? new ProgressReporter(progress, settings.progressInterval())
                : new ManagerProgress(
                        batch.jobRepository(),
                        workers.queue(),
                        migration.id(),
                        MigrationExecutions.JOB_NAME,
                        parameters,
                        MigrationExecutions.workerStepName(migration.id()),
                        MigrationExecutions::progressOf,
                        settings.progressInterval())) {
            execution = batch.jobOperator().start(job, parameters);
        } catch (JobExecutionAlreadyRunningException | JobInstanceAlreadyCompleteException | DuplicateKeyException e) {
            // What Spring Batch says, creating the execution, when the same instance was just created by another
            // process: two dry runs that both found it not running (neither holds a lock). Only from the start, so
            // nothing a run says later (an optimistic lock lost at its end, say) is taken for it.
            if (!settings.dryRun()) {
                throw e;
            }
            throw new RedisOmBatchException(
                    Failure.LOCKED,
                    migration.id() + ": another dry run of it started at the same moment"
                            + (e instanceof JobInstanceAlreadyCompleteException
                                    ? " and has completed already; run again for one of your own"
                                    : "; wait for it to finish"),
                    e);
        }
        if (record != null && record.walkAgainBecause() != null) {
            return new Walk(null, record.walkAgainBecause(), record.unproven());
        }
        // Once the record holds the exact change count, the record step drops it from Redis: report what it recorded.
        // A run that did not complete reports what this execution did, pages not yet checkpointed included: the
        // checkpoints hold only what was committed, and a run failing within its first pages said "0 read". (The
        // manager of remote workers sees only their checkpoints.)
        DocumentCounts counts = record != null && record.recorded() != null
                ? record.recorded()
                : execution.getStatus() != BatchStatus.COMPLETED && workers == null
                        ? progress.snapshot().counts()
                        : new RunAccount(executions, run, identity, execution.getJobInstance()).counts();
        return new Walk(
                new DataMigrationOutcome(
                        migration.id(),
                        direction,
                        settings.dryRun(),
                        execution.getStatus().toString(),
                        execution.getId(),
                        counts,
                        List.copyOf(run.examples()),
                        notResumedIfUnmarked(
                                startedAnyway(
                                        workers == null || execution.getStatus() == BatchStatus.COMPLETED
                                                ? context.stop().failureOf(execution, "")
                                                : context.stop()
                                                        .failureOf(
                                                                execution,
                                                                "",
                                                                batch.jobRepository()
                                                                        .getJobExecution(execution.getId()))),
                                identity),
                        record != null && record.leftPending(),
                        false),
                null,
                null);
    }

    /**
     * Every slot on a first walk and in a dry run (which records nothing, so proves nothing); on a later walk of a run,
     * the slots its earlier walks did not prove walked.
     */
    private SlotSet slotsToWalk(RunIdentity identity, Topology topology, DataStepSettings settings) {
        return settings.dryRun()
                ? SlotSet.ALL
                : SlotSet.ALL.andNot(executions.provenSoFar(identity, identity.migrationId(), topology));
    }

    /**
     * A refusal that is the configuration's (a permission the Redis user lacks for some keys, say) met once the run
     * had started: not "nothing was started", since its execution, its checkpoints and the dataset token stay, and
     * the same command goes on from there once the configuration is fixed.
     */
    private static RedisOmBatchException startedAnyway(RedisOmBatchException failure) {
        return failure == null || failure.failure() != Failure.CONFIGURATION
                ? failure
                : new RedisOmBatchException(Failure.REFUSED_AFTER_WRITES, failure.getMessage(), failure);
    }

    /**
     * A dry run on data no run has marked is not resumed ({@link ResumableInstance#whyNotResumable}): its failure
     * says what the same command then does instead of the kind's "resume".
     */
    private static RedisOmBatchException notResumedIfUnmarked(RedisOmBatchException failure, RunIdentity identity) {
        if (failure == null || !identity.dryRun() || !identity.dataset().isEmpty()) {
            return failure;
        }
        return switch (failure.failure()) {
            case DATA ->
                failure.withAdvice("Fix the data or the migration first; then the same command walks every"
                        + " slice again (a dry run on data no run has marked is not resumed).");
            case INTERRUPTED, REPOSITORY_UNAVAILABLE, STOPPED ->
                failure.withAdvice(
                        "Run the same command again: a dry run on data no run has marked walks every slice again.");
            default -> failure;
        };
    }

    private static String abbreviate(String checksum) {
        return checksum == null ? "none" : checksum.substring(0, Math.min(12, checksum.length()));
    }
}
