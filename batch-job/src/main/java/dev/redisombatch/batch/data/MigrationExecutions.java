package dev.redisombatch.batch.data;

import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.partition.SlotProof;
import dev.redisombatch.batch.jobs.LatestPartitions;
import dev.redisombatch.batch.jobs.RunHistory;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.remote.PartitionReading;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What the job repository knows about data migration runs: how their steps are named, each partition's latest
 * execution and checkpoint, totals, and the runs that did not finish.
 */
public final class MigrationExecutions {

    public static final String JOB_NAME = "migrateData";
    private final JobRepository jobRepository;

    public MigrationExecutions(JobRepository jobRepository) {
        this.jobRepository = jobRepository;
    }

    static String managerStepName(String migrationId) {
        return "migrate:" + migrationId;
    }

    static String workerStepName(String migrationId) {
        return managerStepName(migrationId) + ":partition";
    }

    private static boolean isPartitionOf(StepExecution step, String migrationId) {
        return step.getStepName().startsWith(workerStepName(migrationId) + ":");
    }

    /** Every execution of the job instance, in one read of the job repository. */
    List<JobExecution> executionsOf(JobInstance instance) {
        return jobRepository.getJobExecutions(instance);
    }

    /**
     * The instances of a run's generation on the same data: a re-walk is another instance of it. An abandoned run was
     * given up on: what it read is not part of this run's account.
     */
    List<JobInstance> instancesOfGeneration(RunIdentity identity) {
        return jobRepository.getJobInstances(JOB_NAME, 0, 10_000).stream()
                .filter(instance -> {
                    JobExecution last = jobRepository.getLastJobExecution(instance);
                    return last != null
                            && last.getStatus() != BatchStatus.ABANDONED
                            && identity.sameDataAs(RunIdentity.of(JOB_NAME, last.getJobParameters()));
                })
                .toList();
    }

    /**
     * What the record step of a walk that concluded its run keeps in its context: it recorded the run, or left it
     * pending because its keys matched nothing.
     */
    static final String CONCLUDED = "redis-om-batch.concluded";

    /**
     * The slots the walks of a run have proven walked so far ({@link SlotProof}), as of the topology {@code now}: over
     * each walk (job instance of its generation on the same data) that has not concluded its run. A walk that did
     * (a re-walk on purpose of an applied migration stays in its generation; a run left pending is tried afresh) is
     * history.
     */
    SlotSet provenSoFar(RunIdentity identity, String migrationId, Topology now) {
        return provenBy(
                instancesOfGeneration(identity).stream().map(this::executionsOf).toList(), migrationId, now);
    }

    /** {@link #provenSoFar}, over the executions of each job instance of the generation, already read. */
    static SlotSet provenBy(List<List<JobExecution>> generation, String migrationId, Topology now) {
        SlotSet proven = SlotSet.NONE;
        for (List<JobExecution> executions : generation) {
            boolean concluded = executions.stream()
                    .flatMap(execution -> execution.getStepExecutions().stream())
                    .anyMatch(step -> step.getExecutionContext().containsKey(CONCLUDED));
            if (!concluded) {
                proven = proven.or(SlotProof.proven(checkpoints(executions, migrationId), now));
            }
        }
        return proven;
    }

    /** Each partition's latest execution, over every execution of the job instance. */
    Map<String, StepExecution> lastPerPartition(JobInstance instance, String migrationId) {
        return lastPerPartition(executionsOf(instance), migrationId);
    }

    /** Each partition's latest execution, over the executions of one job instance. */
    static Map<String, StepExecution> lastPerPartition(List<JobExecution> executions, String migrationId) {
        return LatestPartitions.of(
                executions,
                step -> isPartitionOf(step, migrationId) && SliceCheckpoint.isIn(step.getExecutionContext()));
    }

    /** Each partition by its name (as the partitioner gave it), with the context its latest execution left. */
    static Map<String, ExecutionContext> partitions(Map<String, StepExecution> lastPerPartition, String migrationId) {
        Map<String, ExecutionContext> partitions = new HashMap<>();
        lastPerPartition.forEach((stepName, step) -> partitions.put(
                stepName.substring(workerStepName(migrationId).length() + 1), step.getExecutionContext()));
        return partitions;
    }

    /** The checkpoint of each partition, as its latest execution (of those of one job instance) left it. */
    static List<SliceCheckpoint> checkpoints(List<JobExecution> executions, String migrationId) {
        return lastPerPartition(executions, migrationId).values().stream()
                .map(step -> SliceCheckpoint.from(step.getExecutionContext()))
                .toList();
    }

    /** How far a partition got, as its checkpoint says; null for a context that holds none. */
    static PartitionReading.Progress progressOf(ExecutionContext context) {
        if (!SliceCheckpoint.isIn(context)) {
            return null;
        }
        SliceCheckpoint checkpoint = SliceCheckpoint.from(context);
        return new PartitionReading.Progress(checkpoint.counts(), checkpoint.fractionWalked());
    }

    /** What the partitions counted, over all the executions of one job instance. */
    static DocumentCounts totals(List<JobExecution> executions, String migrationId) {
        DocumentCounts totals = DocumentCounts.NONE;
        for (SliceCheckpoint checkpoint : checkpoints(executions, migrationId)) {
            totals = totals.plus(checkpoint.counts());
        }
        return totals;
    }

    /**
     * A run that has not completed (failed, stopped, killed while marked started), with how far its partitions got.
     *
     * @param generation the generation it belongs to; it can be resumed only while that is the migration's current one
     */
    public record UnfinishedRun(
            RunIdentity identity,
            long executionId,
            String status,
            LocalDateTime started,
            int partitionsComplete,
            int partitions,
            double fractionWalked) {}

    /** The latest unfinished run of each migration and mode, newest first; abandoned ones are left out. */
    public List<UnfinishedRun> unfinished() {
        List<UnfinishedRun> runs = new ArrayList<>();
        for (RunHistory.Unfinished run : RunHistory.unfinished(jobRepository, JOB_NAME)) {
            JobExecution execution = run.execution();
            String id = run.identity().migrationId();
            Map<String, StepExecution> partitions = lastPerPartition(execution.getJobInstance(), id);
            int complete = (int) partitions.values().stream()
                    .filter(step -> step.getStatus() == BatchStatus.COMPLETED)
                    .count();
            double walked = partitions.values().stream()
                    .mapToDouble(step ->
                            SliceCheckpoint.from(step.getExecutionContext()).fractionWalked())
                    .sum();
            runs.add(new UnfinishedRun(
                    run.identity(),
                    execution.getId(),
                    execution.getStatus().toString(),
                    execution.getStartTime(),
                    complete,
                    partitions.size(),
                    partitions.isEmpty() ? 0 : walked / partitions.size()));
        }
        return runs;
    }
}
