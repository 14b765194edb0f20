package dev.redisombatch.batch.data;

import dev.redisombatch.batch.jobs.RunningElsewhere;
import dev.redisombatch.batch.ops.ProcessOwner;
import java.time.Duration;
import java.time.LocalDateTime;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Tells a dry run whether an execution of the same dry run that it finds running is another process's, still walking.
 * Each data run's execution names its process ({@link ProcessOwner}, a job parameter that does not identify the run).
 * A process of this same process table is asked directly: alive, or gone (killed) and so recovered at once. Of any
 * other (another host or container) only the execution's last commit tells: it counts as running until it has
 * committed nothing for {@code quietLimit}, the run lock's TTL, the time a killed run's lock takes to expire.
 */
final class LiveDryRuns implements RunningElsewhere {

    static final String PROCESS = "run.process";

    private final Duration quietLimit;

    LiveDryRuns(Duration quietLimit) {
        this.quietLimit = quietLimit;
    }

    /** {@code parameters} with this process named. */
    static JobParameters naming(String job, JobParameters parameters) {
        return new JobParametersBuilder(parameters)
                .addString(PROCESS, ProcessOwner.describe(job), false)
                .toJobParameters();
    }

    @Override
    public String whyMaybeRunning(JobExecution execution, LocalDateTime lastSignOfLife) {
        String process = execution.getJobParameters().getString(PROCESS);
        ProcessOwner.Liveness liveness = ProcessOwner.liveness(process);
        if (liveness == ProcessOwner.Liveness.ALIVE) {
            return "is still running in " + process + "; wait for it to finish";
        }
        if (liveness == ProcessOwner.Liveness.GONE || lastSignOfLife == null) {
            return null;
        }
        // Spring Batch keeps its times in the local time of the process that wrote them: another host's clock.
        long quietSeconds =
                Duration.between(lastSignOfLife, LocalDateTime.now()).toSeconds();
        if (quietSeconds >= quietLimit.toSeconds()) {
            return null;
        }
        return "may still be running in " + (process == null ? "a process it does not name" : process)
                + ": it recorded progress " + quietSeconds + " s ago; wait for it to finish, or, if that process is"
                + " gone, run again once " + quietLimit.toSeconds() + " s have passed without progress (in "
                + (quietLimit.toSeconds() - quietSeconds) + " s)";
    }
}
