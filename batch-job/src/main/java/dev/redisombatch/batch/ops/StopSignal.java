package dev.redisombatch.batch.ops;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepInterruptionPolicy;

/**
 * Set when the process is asked to stop (SIGTERM from Kubernetes or a terminal's Ctrl-C). Spring Batch checks it
 * between chunks: each partition then ends STOPPED after its last committed chunk, with its checkpoint saved, and the
 * next run resumes from there.
 */
public final class StopSignal implements StepInterruptionPolicy {

    private volatile boolean requested;
    private final List<Runnable> beforeHalt = new CopyOnWriteArrayList<>();

    public void request() {
        requested = true;
    }

    public boolean isRequested() {
        return requested;
    }

    /**
     * The one place a failure is put down to the stop: while a stop was requested, what would say "interrupted, run
     * again" (exit 1: Redis or the job repository lost as the process winds down) is STOPPED (exit 6), with its own
     * message. Any other failure (a bad option, a data error) is still what the operator has to fix first.
     *
     * @return the failure as the operator is to read it; null when {@code failure} is null
     */
    public RedisOmBatchException reclassify(RedisOmBatchException failure) {
        if (!requested
                || failure == null
                || failure.failure() == Failure.STOPPED
                || failure.failure().exitCode() != Failure.INTERRUPTED.exitCode()) {
            return failure;
        }
        return failure.reclassified(
                Failure.STOPPED,
                failure.getMessage().equals(Failures.CUT_SHORT) ? "stopped as requested" : failure.getMessage());
    }

    /**
     * Why a partitioned job's execution did not complete, as one classified failure put down to the stop where it is
     * one ({@link #reclassify}); null when it completed. The partitions' own failures say what went wrong: the
     * manager step only adds "Partition handler returned an unsuccessful step", and a data error in one partition
     * makes the others stop with an echo of it ("stopping: ...").
     *
     * @param what how the message names the job, such as "the copy"; empty for none
     */
    public RedisOmBatchException failureOf(JobExecution execution, String what) {
        return failureOf(execution, what, execution);
    }

    /**
     * The same, where partitions ran in other processes (workers): their exceptions stay there, and what they recorded
     * of why is read from {@code recorded}, the execution as the job repository holds it.
     */
    public RedisOmBatchException failureOf(JobExecution execution, String what, JobExecution recorded) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return null;
        }
        String named = what.isEmpty() ? "" : what + " ";
        if (execution.getStatus() == BatchStatus.STOPPED) {
            return new RedisOmBatchException(
                    Failure.STOPPED, named + "stopped at a page boundary with its checkpoint saved");
        }
        return reclassify(Failures.mostTelling(execution.getAllFailureExceptions().stream()
                        .map(Failures::classify)
                        .filter(failure -> !failure.getMessage().contains("Partition handler returned")
                                && !failure.getMessage().startsWith("stopping:"))
                        .toList())
                .orElseGet(() -> new RedisOmBatchException(
                        Failure.INTERRUPTED,
                        named + "ended " + execution.getStatus() + failedPartitionsSay(recorded))));
    }

    /**
     * What a failed partition recorded of why, for partitions that failed in another process (a worker): their
     * exceptions stay there, their exit descriptions come through the job repository.
     */
    private static String failedPartitionsSay(JobExecution execution) {
        return execution.getStepExecutions().stream()
                .filter(step -> step.getStatus() == BatchStatus.FAILED)
                .map(step -> step.getExitStatus().getExitDescription())
                .filter(description -> description != null && !description.isBlank())
                .map(description -> description.lines().findFirst().orElse(description))
                .filter(line -> !line.contains("Partition handler returned"))
                .findFirst()
                .map(line -> ": a partition failed: " + line)
                .orElse(" with no error recorded");
    }

    /** The failure that ends a run before it starts {@code what}, when a stop was requested; null to go on. */
    public RedisOmBatchException stoppedBefore(String what) {
        return requested ? new RedisOmBatchException(Failure.STOPPED, "stopped before " + what) : null;
    }

    /**
     * Registers what must still happen if the process is ended without the run returning ({@link GracefulStop} halts
     * a run that does not stop in time, and halting runs no {@code finally}): releasing the run's lock, which would
     * otherwise keep the next run out for its TTL.
     */
    public void beforeHalt(Runnable action) {
        beforeHalt.add(action);
    }

    /**
     * Runs what {@link #beforeHalt} registered, on another thread, waiting for it at most {@code within}.
     *
     * @return whether it all finished in that time
     */
    boolean runBeforeHalt(Duration within) {
        Thread last = new Thread(() -> beforeHalt.forEach(Runnable::run), "before-halt");
        last.setDaemon(true);
        last.start();
        try {
            last.join(within.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !last.isAlive();
    }

    @Override
    public void checkInterrupted(StepExecution stepExecution) throws JobInterruptedException {
        if (requested) {
            // Spring Batch 6's ChunkOrientedStep only leaves its chunk loop on this exception; without the flag the
            // step would then end COMPLETED with keys never read, and the migration would be marked applied.
            stepExecution.setTerminateOnly();
            throw new JobInterruptedException(
                    "stop requested: " + stepExecution.getStepName() + " stopped at a chunk boundary");
        }
    }
}
