package dev.redisombatch.batch.data;

import dev.redisombatch.batch.data.partition.SlotProof;
import dev.redisombatch.batch.data.step.DataMigrationRun;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.plan.AppliedRecord;
import dev.redisombatch.batch.plan.ConfiguredMigration;
import dev.redisombatch.batch.plan.MigrationChecksum;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.state.RanBy;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The step after a migration's partitions (unless dry): records the migration applied, rolled back or re-walked,
 * with the counts of every execution of the run, once the checkpoints of its walks prove every slot walked
 * ({@link SlotProof}) on the data the run marked. Otherwise it records nothing and says which slots must be walked
 * again. What it found is read by the launcher once the job has ended.
 */
final class RecordTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(RecordTasklet.class);

    private final DataMigrationRun run;
    private final RunIdentity identity;
    private final int partitions;
    private final MigrationExecutions executions;
    private final AppliedState applied;
    private final boolean allowEmpty;
    private volatile String walkAgainBecause;
    private volatile SlotSet unproven;
    private volatile DocumentCounts recorded;
    private volatile boolean leftPending;

    /** @param allowEmpty mark a migration applied although its keys matched nothing */
    RecordTasklet(
            DataMigrationRun run,
            RunIdentity identity,
            int partitions,
            MigrationExecutions executions,
            AppliedState applied,
            boolean allowEmpty) {
        this.run = run;
        this.identity = identity;
        this.partitions = partitions;
        this.executions = executions;
        this.applied = applied;
        this.allowEmpty = allowEmpty;
    }

    /**
     * Why the run is not recorded because its walks may have missed keys (slots not proven walked, or data replaced
     * under them); null when it is not to be walked again.
     */
    String walkAgainBecause() {
        return walkAgainBecause;
    }

    /** The slots not proven walked when {@link #walkAgainBecause()} says why; null otherwise. */
    SlotSet unproven() {
        return unproven;
    }

    /** The counts the step recorded (or found, for a run left pending); null when it recorded none. */
    DocumentCounts recorded() {
        return recorded;
    }

    /** Whether the run completed but, its keys matching nothing, was left pending instead of marked applied. */
    boolean leftPending() {
        return leftPending;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
        StepExecution step = chunk.getStepContext().getStepExecution();
        JobInstance instance = step.getJobExecution().getJobInstance();
        RunAccount account = new RunAccount(executions, run, identity, instance);
        // Not concluded in either case: this instance ends here and the launcher starts another over the slots not
        // proven walked (a rerun of a failed instance would only find its partitions complete again).
        Topology now = run.context()
                .redis()
                .call("read the topology", commands -> run.context().redis().topology());
        if (!now.dataset().equals(identity.dataset())) {
            unproven = SlotSet.ALL;
            walkAgainBecause = "its data was flushed, restored or replaced while it was walked (the dataset mark"
                    + " this run set is gone)";
            return RepeatStatus.FINISHED;
        }
        SlotSet proven = account.provenSlots(now);
        if (!proven.isAll()) {
            unproven = SlotSet.ALL.andNot(proven);
            walkAgainBecause = run.context().redis().isCluster()
                    ? SlotProof.describe(unproven) + " not proven walked: a master failed over, restarted, left or"
                            + " moved slots while they were walked"
                    : "not every slice was walked to its end under one server process (the server restarted or was"
                            + " replaced during the walk)";
            return RepeatStatus.FINISHED;
        }
        step.getExecutionContext().putString(MigrationExecutions.CONCLUDED, "true");
        DocumentCounts counts = account.counts();
        if (counts.read() == 0
                && run.direction() == Direction.APPLY
                && !allowEmpty
                && !run.migration().mayMatchNothing()) {
            log.warn(
                    "{}: its key patterns {} matched no {} at all on {}: not marked applied, it stays pending and"
                            + " runs once such keys exist. Check the patterns and the database number; --allow-empty marks"
                            + " it applied anyway",
                    run.id(),
                    run.migration().keys().patterns(),
                    typeNames(run.migration().keys()),
                    run.context().redis().target());
            leftPending = true;
            recorded = counts;
            return RepeatStatus.FINISHED;
        }
        recorded = record(counts, account);
        String lostUnder = lostWhileRecorded(now);
        if (lostUnder != null) {
            // What the walks proved may be gone: a server back from an older snapshot holds documents as they were
            // before they were walked, and the record just written (by the new process) would vouch for them.
            if (run.direction() == Direction.APPLY) {
                applied.markRolledBack(run.id()); // not applied, in a newer generation: the next walk starts over
                lostUnder += "; its mark as applied was taken back";
            }
            recorded = null;
            unproven = SlotSet.ALL;
            walkAgainBecause = lostUnder;
        }
        return RepeatStatus.FINISHED;
    }

    /**
     * Why what the walks proved may be gone since {@code proofTopology} was read, now that the record is written: the
     * dataset mark is not this run's, or a master is another process (restarted, perhaps from an older snapshot, or
     * failed over). Null when neither.
     */
    private String lostWhileRecorded(Topology proofTopology) {
        Topology after = run.context()
                .redis()
                .call(
                        "read the topology again",
                        commands -> run.context().redis().topology());
        if (!after.dataset().equals(identity.dataset())) {
            return "its data was flushed, restored or replaced while the run was recorded";
        }
        if (!after.runIds().equals(proofTopology.runIds())) {
            return "a server restarted or failed over while the run was recorded, so what was walked may be gone";
        }
        return null;
    }

    private DocumentCounts record(DocumentCounts counts, RunAccount account) {
        if (counts.read() == 0) {
            log.warn(
                    "{}: its key patterns {} matched no {} at all on {}: nothing was migrated. Check the patterns"
                            + " (and the database number)",
                    run.id(),
                    run.migration().keys().patterns(),
                    typeNames(run.migration().keys()),
                    run.context().redis().target());
        }
        switch (run.direction()) {
            case ROLLBACK -> applied.markRolledBack(run.id());
            case APPLY ->
                applied.markApplied(
                        run.id(),
                        new AppliedRecord(
                                        Instant.now().toString(),
                                        account.durationOfGeneration(),
                                        counts,
                                        partitions,
                                        RanBy.describe(),
                                        run.migration().description(),
                                        MigrationChecksum.of(run.migration()),
                                        "applied",
                                        run.generation() + 1,
                                        ConfiguredMigration.of(run.migration()))
                                .asFields());
            // Still applied, in the same generation: the record says when it was walked again and what that found.
            case REWALK ->
                applied.amendRecord(
                        run.id(),
                        Map.of(
                                "rewalked_at",
                                Instant.now().toString(),
                                "rewalk_keys_read",
                                Long.toString(counts.read()),
                                "rewalk_changed",
                                Long.toString(counts.changed()),
                                "rewalk_skipped",
                                Long.toString(counts.skipped()),
                                "rewalked_by",
                                RanBy.describe()));
        }
        run.changedCounter().clear(run.context().redis());
        return counts;
    }

    private static String typeNames(KeySelector keys) {
        return keys.types().stream().map(RedisType::redisName).collect(Collectors.joining(" or "));
    }
}
