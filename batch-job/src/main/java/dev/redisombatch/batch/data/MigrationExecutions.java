package dev.redisombatch.batch.data;

import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.jobs.RunHistory;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.ops.DocumentCounts;
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

    /** Each partition's latest execution, over every execution of the job instance. */
    Map<String, StepExecution> lastPerPartition(JobInstance instance, String migrationId) {
        Map<String, StepExecution> last = new HashMap<>();
        for (JobExecution execution : jobRepository.getJobExecutions(instance)) {
            for (StepExecution step : execution.getStepExecutions()) {
                if (isPartitionOf(step, migrationId) && SliceCheckpoint.isIn(step.getExecutionContext())) {
                    last.merge(step.getStepName(), step, (a, b) -> a.getId() > b.getId() ? a : b);
                }
            }
        }
        return last;
    }

    /** Each partition of the instance by its name (as the partitioner gave it), with its latest execution context. */
    Map<String, org.springframework.batch.infrastructure.item.ExecutionContext> partitions(JobInstance instance,
            String migrationId) {
        Map<String, org.springframework.batch.infrastructure.item.ExecutionContext> partitions = new HashMap<>();
        lastPerPartition(instance, migrationId).forEach((stepName, step) -> partitions.put(
                stepName.substring(workerStepName(migrationId).length() + 1), step.getExecutionContext()));
        return partitions;
    }

    /** The checkpoint of each partition of the instance, as its latest execution left it. */
    List<SliceCheckpoint> checkpoints(JobInstance instance, String migrationId) {
        return lastPerPartition(instance, migrationId).values().stream()
                .map(step -> SliceCheckpoint.from(step.getExecutionContext())).toList();
    }

    /** What the partitions of the instance counted, over all their executions. */
    DocumentCounts totals(JobInstance instance, String migrationId) {
        DocumentCounts totals = DocumentCounts.NONE;
        for (SliceCheckpoint checkpoint : checkpoints(instance, migrationId)) {
            totals = totals.plus(checkpoint.counts());
        }
        return totals;
    }

    /**
     * A run that has not completed (failed, stopped, killed while marked started), with how far its partitions got.
     *
     * @param generation the generation it belongs to; it can be resumed only while that is the migration's current one
     */
    public record UnfinishedRun(RunIdentity identity, long executionId, String status, LocalDateTime started,
            int partitionsComplete, int partitions, double fractionWalked) {
    }

    /** The latest unfinished run of each migration and mode, newest first; abandoned ones are left out. */
    public List<UnfinishedRun> unfinished() {
        List<UnfinishedRun> runs = new ArrayList<>();
        for (RunHistory.Unfinished run : RunHistory.unfinished(jobRepository, JOB_NAME)) {
            JobExecution execution = run.execution();
            String id = run.identity().migrationId();
            Map<String, StepExecution> partitions = lastPerPartition(execution.getJobInstance(), id);
            int complete = (int) partitions.values().stream()
                    .filter(step -> step.getStatus() == BatchStatus.COMPLETED).count();
            double walked = partitions.values().stream()
                    .mapToDouble(step -> SliceCheckpoint.from(step.getExecutionContext()).fractionWalked()).sum();
            runs.add(new UnfinishedRun(run.identity(), execution.getId(), execution.getStatus().toString(),
                    execution.getStartTime(), complete, partitions.size(),
                    partitions.isEmpty() ? 0 : walked / partitions.size()));
        }
        return runs;
    }
}
