package dev.redisombatch.batch.remote;

import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.jobs.JobRepositoryOutage;
import dev.redisombatch.batch.ops.StopSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.messaging.Message;

/**
 * A worker process: takes partition requests from the {@link PartitionQueue} and runs them with Spring Batch's
 * {@link StepExecutionRequestHandler}, {@code threads} at a time, until it is stopped (or idle for long enough).
 *
 * <p>Each request is taken and run inside one queue transaction, so a worker that dies mid-partition gives its request
 * back; the next worker resumes the partition's step execution from its last checkpoint. A request is run only while
 * its partition and its job are still running: one redelivered after its partition completed (its worker died between
 * the two commits), or left in the queue by a manager that was since restarted, is dropped.
 *
 * <p>A job repository that cannot be reached is waited for as long as it takes, with one WARN line per outage: the
 * request a worker was running when it went away comes back with the rolled-back transaction, and a worker takes it
 * again once the database answers. Time spent waiting does not count as idle. Any other failure ends the worker,
 * after its other threads finish what they run, with that failure's exit code.
 */
public final class PartitionWorker {

    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);

    /** What a worker did before it ended. */
    public record Result(int completed, int notCompleted, int dropped) {}

    private final PartitionQueue queue;
    private final JobRepository jobRepository;
    private final StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
    private final int threads;
    private final Duration pollInterval;
    private final Duration idleExit;
    private final StopSignal stop;
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger notCompleted = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    private final JobRepositoryOutage outage = new JobRepositoryOutage("worker", Duration.ZERO);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    /**
     * @param steps the partition steps, by the worker step name a request carries
     * @param stop when requested, the worker takes no more requests; a partition it is running goes on
     */
    public PartitionWorker(
            PartitionQueue queue,
            JobRepository jobRepository,
            StepLocator steps,
            int threads,
            RemoteSettings settings,
            StopSignal stop) {
        this.queue = queue;
        this.jobRepository = jobRepository;
        this.threads = threads;
        this.pollInterval = settings.pollInterval();
        this.idleExit = settings.idleExit();
        this.stop = stop;
        handler.setJobRepository(jobRepository);
        handler.setStepLocator(steps);
    }

    /** Works until stopped, or idle for the idle-exit time when one is set. */
    public Result run() throws InterruptedException {
        log.info(
                "worker: taking partitions, {} at a time{}",
                threads,
                idleExit.isZero() ? "" : ", until idle for " + idleExit.toSeconds() + " s");
        List<Thread> workers = new ArrayList<>(threads);
        for (int i = 1; i <= threads; i++) {
            Thread thread = new Thread(this::work, "worker-" + i);
            workers.add(thread);
            thread.start();
        }
        for (Thread thread : workers) {
            thread.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Result(completed.get(), notCompleted.get(), dropped.get());
    }

    private void work() {
        while (!stop.isRequested() && failure.get() == null) {
            boolean took;
            try {
                took = queue.inTransaction(this::takeOne);
            } catch (RuntimeException e) {
                try {
                    outage.failed(e);
                } catch (RuntimeException notAnOutage) {
                    failure.compareAndSet(null, notAnOutage);
                    return;
                }
                // Whether there is work cannot be known while the repository is away: that is not idleness.
                lastActivity.set(System.nanoTime());
                took = false;
            }
            if (took) {
                continue;
            }
            if (!idleExit.isZero() && busy.get() == 0 && System.nanoTime() - lastActivity.get() > idleExit.toNanos()) {
                return;
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Takes one request, if there is one, and runs it; inside the queue transaction. */
    private boolean takeOne() {
        Message<?> message = queue.channel().receive(0);
        outage.answered();
        if (message == null) {
            return false;
        }
        busy.incrementAndGet();
        try {
            if (!(message.getPayload() instanceof StepExecutionRequest request)) {
                log.warn("worker: dropped a message that is not a partition request: {}", message.getPayload());
                dropped.incrementAndGet();
                return true;
            }
            StepExecution execution = jobRepository.getStepExecution(request.getStepExecutionId());
            if (execution == null || !stillToRun(execution)) {
                log.info(
                        "worker: dropped the request for {} (step execution {}): {}",
                        request.getStepName(),
                        request.getStepExecutionId(),
                        execution == null
                                ? "no such step execution"
                                : "its partition is " + execution.getStatus() + " and its job "
                                        + execution.getJobExecution().getStatus());
                dropped.incrementAndGet();
                return true;
            }
            log.info(
                    "worker: running {} (step execution {}{})",
                    execution.getStepName(),
                    execution.getId(),
                    execution.getStatus() == BatchStatus.STARTED
                            ? ", left STARTED by a worker that died or lost the job repository"
                            : "");
            StepExecution result = handler.handle(request);
            (result.getStatus() == BatchStatus.COMPLETED ? completed : notCompleted).incrementAndGet();
            if (result.getStatus() == BatchStatus.COMPLETED
                    || result.getFailureExceptions().isEmpty()) {
                log.info("worker: {} {}", result.getStepName(), result.getStatus());
            } else {
                // The manager sees the partition's status; why it failed is told here, where it happened.
                log.warn(
                        "worker: {} {}: {}",
                        result.getStepName(),
                        result.getStatus(),
                        Failures.classify(result.getFailureExceptions().get(0)).getMessage());
            }
            return true;
        } finally {
            busy.decrementAndGet();
            lastActivity.set(System.nanoTime());
        }
    }

    /** A partition waiting to start, or started by a worker that died (its request came back), of a running job. */
    private static boolean stillToRun(StepExecution execution) {
        BatchStatus status = execution.getStatus();
        return (status == BatchStatus.STARTING || status == BatchStatus.STARTED)
                && execution.getJobExecution().isRunning();
    }
}
