package dev.redisombatch.batch.ops;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a running migration's progress from a daemon thread: when the run draws a bar ({@link StatusLine}), one line
 * redrawn every second and left on screen with a newline when the walk ends; otherwise (a log file, cron,
 * Kubernetes) a log line every {@code interval}.
 */
public final class ProgressReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);
    private static final Duration BAR_REDRAW = Duration.ofSeconds(1);

    private final MigrationProgress progress;
    private final boolean bar;
    private final ScheduledExecutorService timer;

    public ProgressReporter(MigrationProgress progress, Duration interval) {
        this.progress = progress;
        this.bar = StatusLine.enabled();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress");
            thread.setDaemon(true);
            return thread;
        });
        long millis = bar ? BAR_REDRAW.toMillis() : interval.toMillis();
        timer.scheduleAtFixedRate(this::show, bar ? 0 : millis, millis, TimeUnit.MILLISECONDS);
    }

    private void show() {
        MigrationProgress.Snapshot snapshot = progress.snapshot();
        if (bar) {
            StatusLine.draw(this, ProgressBar.line(progress.migrationId(), snapshot, StatusLine.columns()));
        } else {
            log.info("{}: {}", progress.migrationId(), snapshot.describe(progress.writtenAs()));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (!bar) {
            return;
        }
        try {
            // A redraw still running would otherwise land after the final line.
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        show();
        StatusLine.finish(this);
    }
}
