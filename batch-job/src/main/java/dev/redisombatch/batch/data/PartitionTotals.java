package dev.redisombatch.batch.data;

import java.util.Collection;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Spring Batch's counters summed over a migration's partition executions: keys read, documents written (changed),
 * filtered (left unchanged) and skipped.
 */
public record PartitionTotals(long read, long changed, long unchanged, long skipped) {

    /** Over the partitions of {@code migrationId} in every execution given. */
    public static PartitionTotals of(Collection<JobExecution> executions, String migrationId) {
        long read = 0;
        long changed = 0;
        long unchanged = 0;
        long skipped = 0;
        for (JobExecution execution : executions) {
            for (StepExecution step : execution.getStepExecutions()) {
                if (DataMigrationLauncher.isPartitionOf(step, migrationId)) {
                    read += step.getReadCount();
                    changed += step.getWriteCount();
                    unchanged += step.getFilterCount();
                    skipped += step.getSkipCount();
                }
            }
        }
        return new PartitionTotals(read, changed, unchanged, skipped);
    }
}
