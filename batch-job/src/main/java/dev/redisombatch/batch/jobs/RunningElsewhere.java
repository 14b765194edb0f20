package dev.redisombatch.batch.jobs;

import java.time.LocalDateTime;
import org.springframework.batch.core.job.JobExecution;

/**
 * Whether an execution found running may still be running in another process. A run under the run lock need not ask:
 * whatever left its execution running held the lock before it, so is gone. A dry run takes no lock, so an execution
 * of the same dry run found running may be another dry run's, still walking, which it must not recover or abandon.
 */
@FunctionalInterface
public interface RunningElsewhere {

    /** For runs that hold the run lock. */
    RunningElsewhere NEVER = (execution, lastSignOfLife) -> null;

    /**
     * Why {@code execution} may still be running in another process, as a sentence's predicate ("is still running
     * in ..."); null when it cannot be.
     *
     * @param lastSignOfLife when it last committed anything (its own update or a partition's chunk); null if never
     */
    String whyMaybeRunning(JobExecution execution, LocalDateTime lastSignOfLife);
}
