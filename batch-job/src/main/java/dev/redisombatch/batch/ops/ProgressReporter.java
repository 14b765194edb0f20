package dev.redisombatch.batch.ops;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a progress line for a running migration at a fixed interval, from a daemon thread. */
public final class ProgressReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

    private final ScheduledExecutorService timer;

    public ProgressReporter(MigrationProgress progress, Duration interval) {
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        timer.scheduleAtFixedRate(() -> log.info("{}: {}", progress.migrationId(), progress.snapshot().describe()),
                millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
