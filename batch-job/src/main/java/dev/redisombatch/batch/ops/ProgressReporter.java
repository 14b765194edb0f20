package dev.redisombatch.batch.ops;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a running migration's progress from a daemon thread: on a terminal, one line redrawn every second; otherwise
 * (a log file, cron, Kubernetes) a log line every {@code interval}.
 */
public final class ProgressReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);
    private static final int BAR_WIDTH = 20;

    private final ScheduledExecutorService timer;
    private final PrintStream terminal;

    public ProgressReporter(MigrationProgress progress, Duration interval) {
        this.terminal = System.console() != null ? System.err : null;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress");
            thread.setDaemon(true);
            return thread;
        });
        long millis = terminal != null ? 1000 : interval.toMillis();
        timer.scheduleAtFixedRate(() -> show(progress), millis, millis, TimeUnit.MILLISECONDS);
    }

    private void show(MigrationProgress progress) {
        MigrationProgress.Snapshot snapshot = progress.snapshot();
        if (terminal == null) {
            log.info("{}: {}", progress.migrationId(), snapshot.describe());
            return;
        }
        int filled = (int) Math.round(snapshot.fractionDone() * BAR_WIDTH);
        terminal.print("\r[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + progress.migrationId()
                + ": " + snapshot.describe() + "\u001b[K");
        terminal.flush();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (terminal != null) {
            terminal.print("\r\u001b[K");
            terminal.flush();
        }
    }
}
