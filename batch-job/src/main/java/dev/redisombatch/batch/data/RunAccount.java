package dev.redisombatch.batch.data;

import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.step.DataMigrationRun;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.state.Direction;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;

/**
 * What the executions of one walk of a migration add up to, as the job repository holds them: the checkpoints of the
 * job instance walked, the counts of the run, and how long its generation ran. Each is read once and kept, so the
 * record step's questions (which slots were proven walked; what was counted; for how long) cost one read of
 * the instance walked and, where the account spans the generation, one of each other instance of it.
 */
final class RunAccount {

    private final MigrationExecutions executions;
    private final DataMigrationRun run;
    private final RunIdentity identity;
    private final JobInstance walked;
    private List<JobExecution> walkedExecutions;
    private List<List<JobExecution>> generation;

    RunAccount(MigrationExecutions executions, DataMigrationRun run, RunIdentity identity, JobInstance walked) {
        this.executions = executions;
        this.run = run;
        this.identity = identity;
        this.walked = walked;
    }

    /** The checkpoint of each partition of the instance walked, as its latest execution left it. */
    List<SliceCheckpoint> checkpoints() {
        return MigrationExecutions.checkpoints(walkedExecutions(), run.id());
    }

    /** The slots the walks of this run's generation have proven walked so far, as of {@code now}. */
    SlotSet provenSlots(Topology now) {
        return MigrationExecutions.provenBy(generation(), run.id(), now);
    }

    /**
     * What every execution of this run counted: the partitions' checkpoints summed over the job instances of its
     * generation (a re-walk after a server restart is another instance of the same generation; a dry run is only
     * itself), with the exact number of documents changed that the write script kept in Redis, when it kept one.
     */
    DocumentCounts counts() {
        // A dry run or a rewalk is only itself: the generation's other instances are earlier dry runs or rewalks.
        boolean onlyItself = run.settings().dryRun() || run.direction() == Direction.REWALK;
        DocumentCounts totals = DocumentCounts.NONE;
        for (List<JobExecution> instance : onlyItself ? List.of(walkedExecutions()) : generation()) {
            totals = totals.plus(MigrationExecutions.totals(instance, run.id()));
        }
        long exact = run.settings().dryRun()
                ? -1
                : run.changedCounter().read(run.context().redis());
        return exact >= 0 ? totals.withChanged(exact) : totals;
    }

    /**
     * How long the executions of this generation ran, added up, so that the time between runs (a run left pending, a
     * failed run and its rerun an hour later) is not counted. The execution recording now runs until now. A killed
     * execution counts until it was last seen alive (its last commit: the recovery sets its end there).
     */
    long durationOfGeneration() {
        LocalDateTime now = LocalDateTime.now();
        return generation().stream()
                .flatMap(List::stream)
                .filter(execution -> execution.getStartTime() != null)
                .mapToLong(execution -> Duration.between(
                                execution.getStartTime(), execution.getEndTime() != null ? execution.getEndTime() : now)
                        .toMillis())
                .sum();
    }

    private List<JobExecution> walkedExecutions() {
        if (walkedExecutions == null) {
            walkedExecutions = executions.executionsOf(walked);
        }
        return walkedExecutions;
    }

    /** The executions of each instance of the generation, the instance walked among them. */
    private List<List<JobExecution>> generation() {
        if (generation == null) {
            generation = new ArrayList<>();
            for (JobInstance instance : executions.instancesOfGeneration(identity)) {
                generation.add(
                        Objects.equals(instance.getInstanceId(), walked.getInstanceId())
                                ? walkedExecutions()
                                : executions.executionsOf(instance));
            }
        }
        return generation;
    }
}
