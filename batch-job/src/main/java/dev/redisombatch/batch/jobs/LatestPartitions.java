package dev.redisombatch.batch.jobs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Each partition's latest execution over the executions of one job instance, by step name: what a resumed
 * partitioned step starts from (Spring Batch asks the partitioner again on a restart, and partitions cut afresh would
 * walk keys twice or mix two cuts).
 */
public final class LatestPartitions {

    private LatestPartitions() {}

    /** @param isPartition which step executions are partitions of the step in question */
    public static Map<String, StepExecution> of(List<JobExecution> executions, Predicate<StepExecution> isPartition) {
        Map<String, StepExecution> last = new HashMap<>();
        for (JobExecution execution : executions) {
            for (StepExecution step : execution.getStepExecutions()) {
                if (isPartition.test(step)) {
                    last.merge(step.getStepName(), step, (a, b) -> a.getId() > b.getId() ? a : b);
                }
            }
        }
        return last;
    }
}
