package dev.redisombatch.batch.ops;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push target. Logs the first failure of the periodic pushes and the failure of the final push
 * at WARN (naming the target), repeated periodic failures at DEBUG, so a dead backend does not flood
 * the log of a long migration.
 */
abstract class MetricsExporter {

    /** Named for the registry that owns the exporters, so that one logging level covers them all. */
    private static final Logger log = LoggerFactory.getLogger(MetricsExport.class);

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final String target;
    private final AtomicBoolean warned = new AtomicBoolean();
    volatile boolean closing;

    MetricsExporter(String target) {
        this.target = target;
    }

    final void failed(Throwable failure) {
        String cause = describe(failure);
        if (closing) {
            log.warn("Could not push the final metrics to {}: {}", target, cause);
        } else if (warned.compareAndSet(false, true)) {
            log.warn(
                    "Could not push metrics to {}: {} (the run goes on; repeated failures are logged at DEBUG)",
                    target,
                    cause);
        } else {
            log.debug("Could not push metrics to {}: {}", target, cause);
        }
        log.debug("Metrics push failure for {}", target, failure);
    }

    final void closeQuietly() {
        closing = true;
        try {
            doClose();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    abstract void doClose();

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(failure.getMessage());
        return root == failure || message.contains(String.valueOf(root.getMessage()))
                ? message
                : message + " (" + root + ")";
    }

    static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
