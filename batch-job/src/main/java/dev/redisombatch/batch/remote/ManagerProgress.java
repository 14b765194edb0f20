package dev.redisombatch.batch.remote;

import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.ops.MigrationProgress;
import dev.redisombatch.batch.ops.ProgressBar;
import dev.redisombatch.batch.ops.StatusLine;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * A manager's view of a run whose partitions workers run: every {@code interval}, how many partitions are done,
 * running and waiting in the queue, from the job repository: a log line, or the bar of {@link StatusLine} when the
 * run draws one (redrawn as often, each redraw being a read of the repository). Nothing is taken means no worker is
 * there: a log line says so rather than leaving the operator to wonder.
 */
public final class ManagerProgress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManagerProgress.class);

    /** Reports in a row with partitions waiting and none running before the line says no worker seems there. */
    private static final int IDLE_REPORTS_BEFORE_WARNING = 3;

    private final ScheduledExecutorService timer;
    private final Runnable report;
    private int idleReports;
    /** Set once the bar's line is finished: a reading that outlived the wait for it must not draw again. */
    private volatile boolean closed;
    /** The partitions' counts, share walked and time when the manager first read them: the base of its rates. */
    private DocumentCounts firstCounts;

    private double firstFraction;
    private long firstNanos;

    /**
     * @param parameters the run's job parameters, to find its latest execution
     * @param partitionPrefix the names its partitions' step executions start with
     * @param reading how far a partition got, from its execution context
     */
    public ManagerProgress(
            JobRepository jobRepository,
            PartitionQueue queue,
            String migrationId,
            String jobName,
            JobParameters parameters,
            String partitionPrefix,
            PartitionReading reading,
            Duration interval) {
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "manager-progress");
            thread.setDaemon(true);
            return thread;
        });
        this.report = () -> {
            try {
                JobExecution execution = jobRepository.getLastJobExecution(jobName, parameters);
                if (execution != null) {
                    show(
                            migrationId,
                            execution,
                            partitionPrefix,
                            queue.waiting(),
                            walked(jobRepository, execution, partitionPrefix, reading));
                }
            } catch (RuntimeException e) {
                log.debug("{}: cannot read the partitions' state: {}", migrationId, e.getMessage());
            }
        };
        // With a fixed delay, reads that waited on the job repository are not followed by a burst of catching up.
        timer.scheduleWithFixedDelay(report, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The workers' progress combined, from their partitions' checkpoints as the job repository holds them: counts since
     * the manager first looked, and the share walked (a completed partition's whole slice).
     */
    private MigrationProgress.Snapshot walked(
            JobRepository jobRepository, JobExecution execution, String partitionPrefix, PartitionReading reading) {
        DocumentCounts counts = DocumentCounts.NONE;
        double walked = 0;
        int partitions = 0;
        for (StepExecution step : execution.getStepExecutions()) {
            if (!step.getStepName().startsWith(partitionPrefix)) {
                continue;
            }
            partitions++;
            StepExecution stored = jobRepository.getStepExecution(execution.getId(), step.getId());
            PartitionReading.Progress progress = stored == null ? null : reading.of(stored.getExecutionContext());
            if (progress != null) {
                counts = counts.plus(progress.counts());
            }
            walked += step.getStatus() == BatchStatus.COMPLETED ? 1 : progress == null ? 0 : progress.fractionWalked();
        }
        double fraction = partitions == 0 ? 0 : walked / partitions;
        if (firstCounts == null) {
            firstCounts = counts;
            firstFraction = fraction;
            firstNanos = System.nanoTime();
        }
        return new MigrationProgress.Snapshot(
                counts.since(firstCounts), fraction, fraction - firstFraction, (System.nanoTime() - firstNanos) / 1e9);
    }

    private void show(
            String migrationId,
            JobExecution execution,
            String partitionPrefix,
            int queued,
            MigrationProgress.Snapshot walked) {
        Map<BatchStatus, Integer> byStatus = new EnumMap<>(BatchStatus.class);
        int partitions = 0;
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStepName().startsWith(partitionPrefix)) {
                byStatus.merge(step.getStatus(), 1, Integer::sum);
                partitions++;
            }
        }
        int running = byStatus.getOrDefault(BatchStatus.STARTED, 0);
        // A running partition's request stays in the table, locked, until its worker commits.
        int waiting = Math.max(0, queued - running);
        idleReports = running == 0 && waiting > 0 ? idleReports + 1 : 0;
        int complete = byStatus.getOrDefault(BatchStatus.COMPLETED, 0);
        String state = String.format(
                "%d of %d partitions complete, %d running on workers, %d waiting in the queue",
                complete, partitions, running, waiting);
        boolean idle = idleReports >= IDLE_REPORTS_BEFORE_WARNING;
        if (StatusLine.enabled()) {
            if (closed) {
                return;
            }
            StatusLine.draw(this, ProgressBar.line(migrationId, walked, StatusLine.columns()));
            if (!idle) {
                return;
            }
        }
        log.info(
                "{}: {}; {}{}",
                migrationId,
                walked.describe(),
                state,
                idle
                        ? " (no worker has taken one for a while: are workers"
                                + " running with --job=worker on this job repository?)"
                        : "");
    }

    @Override
    public void close() {
        if (!StatusLine.enabled()) {
            timer.shutdownNow();
            return;
        }
        // One last reading, so that the line left on screen is the run's end rather than its state up to an interval
        // earlier; bounded, since a job repository that is down would hold it for its whole outage timeout.
        timer.execute(report);
        timer.shutdown();
        try {
            if (!timer.awaitTermination(2, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        StatusLine.finish(this);
    }
}
