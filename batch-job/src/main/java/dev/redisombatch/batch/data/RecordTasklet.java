package dev.redisombatch.batch.data;

import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.partition.SliceCoverage;
import dev.redisombatch.batch.data.step.DataMigrationRun;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.plan.AppliedRecord;
import dev.redisombatch.batch.plan.ConfiguredMigration;
import dev.redisombatch.batch.plan.MigrationChecksum;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.state.RanBy;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The step after a migration's partitions (unless dry): records the migration applied, rolled back or re-walked,
 * with the counts of every execution of the run, once the partitions' checkpoints prove that every key was walked
 * under one topology that is still the one there is. Otherwise it records nothing and says why the walk must be
 * done again. What it found is read by the launcher once the job has ended.
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
     * Why the run is not recorded because its walk may have missed keys (its slices saw several topologies, or their
     * checkpoints do not prove every key was walked); null when it is not to be walked again.
     */
    String walkAgainBecause() {
        return walkAgainBecause;
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
        JobInstance instance =
                chunk.getStepContext().getStepExecution().getJobExecution().getJobInstance();
        RunAccount account = new RunAccount(executions, run, identity, instance);
        List<SliceCheckpoint> checkpoints = account.checkpoints();
        // Not applied in either case: this instance ends here and the launcher starts a new one over every slice (a
        // rerun of a failed instance would only find its partitions complete again).
        if (!walkedUnderTheTopologyThereIs(checkpoints)) {
            walkAgainBecause = "the Redis server restarted, failed over, moved slots, or its data was flushed or"
                    + " replaced while the slices were walked (partitions walked under different topologies or"
                    + " data); keys may have moved past a slice already walked";
            return RepeatStatus.FINISHED;
        }
        Optional<String> unproven = SliceCoverage.unproven(checkpoints, partitions);
        if (unproven.isPresent()) {
            walkAgainBecause = unproven.get() + ", so not every key is known to have been walked";
            return RepeatStatus.FINISHED;
        }
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
        return RepeatStatus.FINISHED;
    }

    /**
     * Whether every slice of the instance was walked under one topology (masters, slots, run_ids, dataset tokens), as
     * their checkpoints say, and that topology is still the one there is now. Otherwise keys may have moved past a
     * walk (a restart gives a server a new hash seed; a failover or a slot move carries keys to another master), or
     * the data walked is not the data there is (flushed, restored or replaced during or after the walk), so every
     * slice is walked again.
     */
    private boolean walkedUnderTheTopologyThereIs(List<SliceCheckpoint> checkpoints) {
        Set<String> topologies = new HashSet<>();
        for (SliceCheckpoint checkpoint : checkpoints) {
            if (!checkpoint.topologyAtStart().isEmpty()) {
                topologies.add(checkpoint.topologyAtStart());
            }
            if (!checkpoint.topologyAtEnd().isEmpty()) {
                topologies.add(checkpoint.topologyAtEnd());
            }
        }
        String now = run.context()
                .redis()
                .call("read the topology", commands -> run.context().redis().topology())
                .fingerprint();
        return topologies.equals(Set.of(now));
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
