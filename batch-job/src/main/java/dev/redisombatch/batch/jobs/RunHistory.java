package dev.redisombatch.batch.jobs;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/** The runs of a job that did not finish, as the job repository keeps them. */
public final class RunHistory {

    private static final int HISTORY = 10_000;

    private RunHistory() {}

    /** An execution that did not complete, with the identity of its run. */
    public record Unfinished(RunIdentity identity, JobExecution execution) {}

    /**
     * The latest execution of each run (migration, target, mode) of {@code jobName} whose latest execution did not
     * complete and was not abandoned, newest first.
     */
    public static List<Unfinished> unfinished(JobRepository jobRepository, String jobName) {
        Map<String, Unfinished> latest = new HashMap<>();
        for (JobInstance instance : jobRepository.getJobInstances(jobName, 0, HISTORY)) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last == null) {
                continue;
            }
            RunIdentity identity = RunIdentity.of(jobName, last.getJobParameters());
            String run = identity.migrationId() + "|" + identity.target() + "|" + identity.mode();
            Unfinished candidate = new Unfinished(identity, last);
            latest.merge(
                    run,
                    candidate,
                    (a, b) -> a.execution().getId() > b.execution().getId() ? a : b);
        }
        List<Unfinished> runs = new ArrayList<>();
        for (Unfinished run : latest.values()) {
            BatchStatus status = run.execution().getStatus();
            if (status != BatchStatus.COMPLETED && status != BatchStatus.ABANDONED) {
                runs.add(run);
            }
        }
        runs.sort(Comparator.comparingLong((Unfinished run) -> run.execution().getId())
                .reversed());
        return runs;
    }

    /** Whether the execution, or a partition of it, is still marked running (or left so by a process killed). */
    public static boolean markedRunning(JobExecution execution) {
        return execution.isRunning() || partitionMarkedRunning(execution);
    }

    /** Whether a partition (a step) of the execution is still marked running. */
    public static boolean partitionMarkedRunning(JobExecution execution) {
        return execution.getStepExecutions().stream()
                .anyMatch(step -> step.getStatus().isRunning());
    }

    /** When the execution last committed anything: its own update or a partition's last chunk. */
    public static LocalDateTime lastSignOfLife(JobExecution execution) {
        LocalDateTime last = execution.getLastUpdated() != null
                ? execution.getLastUpdated()
                : execution.getStartTime() != null ? execution.getStartTime() : execution.getCreateTime();
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getLastUpdated() != null
                    && (last == null || step.getLastUpdated().isAfter(last))) {
                last = step.getLastUpdated();
            }
        }
        return last;
    }
}
