package dev.redisombatch.batch.data;

import dev.redisombatch.batch.jobs.RunningElsewhere;
import dev.redisombatch.batch.ops.ProcessOwner;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Whether a data run's execution found running is still running in the process it names. Each data run's execution
 * names its process ({@link ProcessOwner}, a job parameter that does not identify the run). A process of this same
 * process table is asked directly: alive, or gone (killed). Of any other (another host or container) only the
 * execution's last commit tells: it counts as running until it has committed nothing for {@code quietLimit}, the run
 * lock's TTL. (A dry run stuck longer than that on one page, Redis retrying, counts as stopped all the same: it has no
 * lease to renew meanwhile.) A dry run asks before it takes another's execution over (it holds no lock);
 * {@code status} and {@code repair} ask for every dry run left running (a real run's lock tells of the others).
 */
public final class LiveExecutions implements RunningElsewhere {

    static final String PROCESS = "process";

    private final Duration quietLimit;

    public LiveExecutions(Duration quietLimit) {
        this.quietLimit = quietLimit;
    }

    /** {@code parameters} with this process named, running a run of {@code mode} ({@code apply-dry-run}, say). */
    static JobParameters naming(String mode, JobParameters parameters) {
        return new JobParametersBuilder(parameters)
                .addString(PROCESS, ProcessOwner.describe(mode), false)
                .toJobParameters();
    }

    @Override
    public String whyMaybeRunning(JobExecution execution, LocalDateTime lastSignOfLife) {
        String process = execution.getJobParameters().getString(PROCESS);
        ProcessOwner.Liveness liveness = ProcessOwner.liveness(process);
        if (liveness == ProcessOwner.Liveness.ALIVE) {
            return "is still running in " + process;
        }
        // A reused pid is another process's: a dry run that waited for it could wait for as long as that one lives.
        if (liveness == ProcessOwner.Liveness.GONE
                || liveness == ProcessOwner.Liveness.PID_REUSED
                || lastSignOfLife == null) {
            return null;
        }
        // Spring Batch keeps its times in the local time of the process that wrote them, whose zone its name carries
        // (this one's for an execution that names none). Hosts' clocks must agree within the limit; one ahead of
        // this one counts as just now.
        ZoneId zone = ProcessOwner.zone(process).orElse(ZoneId.systemDefault());
        long quietSeconds = Math.max(
                0,
                Duration.between(lastSignOfLife.atZone(zone).toInstant(), Instant.now())
                        .toSeconds());
        if (quietSeconds >= quietLimit.toSeconds()) {
            return null;
        }
        return "may still be running in " + (process == null ? "a process it does not name" : process)
                + " (it recorded progress " + quietSeconds + " s ago; if that process is gone, it counts as stopped"
                + " once it has recorded none for " + quietLimit.toSeconds() + " s (--lock.ttl), in "
                + (quietLimit.toSeconds() - quietSeconds) + " s)";
    }
}
