package dev.redisombatch.batch.data;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** Reads how far an unfinished migration got, from the job repository: partitions complete and share walked. */
public final class ExecutionProgress {

    private final JobRepository jobRepository;

    public ExecutionProgress(JobRepository jobRepository) {
        this.jobRepository = jobRepository;
    }

    /** The latest execution of a migration that has not completed (failed, stopped, or still marked started). */
    public record Unfinished(long executionId, String status, int partitionsComplete, int partitions,
            double fractionWalked) {
    }

    public Optional<Unfinished> unfinished(String migrationId) {
        JobExecution latest = null;
        for (JobInstance instance : jobRepository.getJobInstances(DataMigrationLauncher.JOB_NAME, 0, 10_000)) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last != null && migrationId.equals(last.getJobParameters().getString("migration.id"))
                    && "apply".equals(last.getJobParameters().getString("mode"))
                    && (latest == null || last.getId() > latest.getId())) {
                latest = last;
            }
        }
        if (latest == null || latest.getStatus() == BatchStatus.COMPLETED) {
            return Optional.empty();
        }
        Map<String, StepExecution> lastPerPartition = lastPerPartition(jobRepository, latest.getJobInstance(),
                migrationId);
        int complete = 0;
        double walked = 0;
        for (StepExecution partition : lastPerPartition.values()) {
            if (partition.getStatus() == BatchStatus.COMPLETED) {
                complete++;
                walked += 1;
            } else {
                walked += fractionWalked(partition.getExecutionContext());
            }
        }
        int partitions = lastPerPartition.size();
        return Optional.of(new Unfinished(latest.getId(), latest.getStatus().toString(), complete, partitions,
                partitions == 0 ? 0 : walked / partitions));
    }

    /** Each partition's latest execution, over every execution of the job instance. */
    static Map<String, StepExecution> lastPerPartition(JobRepository jobRepository, JobInstance instance,
            String migrationId) {
        Map<String, StepExecution> lastPerPartition = new HashMap<>();
        for (JobExecution execution : jobRepository.getJobExecutions(instance)) {
            for (StepExecution step : execution.getStepExecutions()) {
                if (DataMigrationLauncher.isPartitionOf(step, migrationId)) {
                    lastPerPartition.merge(step.getStepName(), step, (a, b) -> a.getId() > b.getId() ? a : b);
                }
            }
        }
        return lastPerPartition;
    }

    private static double fractionWalked(ExecutionContext context) {
        if (!context.containsKey(ScanSliceReader.CURSOR) || !context.containsKey(ScanSlicePartitioner.SLICE_INDEX)) {
            return 0;
        }
        return ScanSlicePartitioner.sliceOf(context).fractionDone(context.getString(ScanSliceReader.CURSOR));
    }
}
