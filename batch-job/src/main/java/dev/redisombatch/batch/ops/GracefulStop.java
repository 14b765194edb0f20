package dev.redisombatch.batch.ops;

import dev.redisombatch.batch.failure.Failure;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM (Kubernetes stopping a pod, Ctrl-C) into a stop at the next page boundary. The JVM runs shutdown hooks
 * on the signal; this one raises the {@link StopSignal}, waits for the run to save its checkpoint and close, then ends
 * the process with the run's own exit code (halt: System.exit may not be called during shutdown). A run that does not
 * stop in time ends with exit 1, never 0: its work did not finish.
 */
public final class GracefulStop {

    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);
    /** Kubernetes' default grace period is 30 s; a page takes well under a second, a Redis retry up to ~21 s. */
    private static final long WAIT_SECONDS = 120;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile int exitCode = Failure.INTERRUPTED.exitCode();

    private GracefulStop(StopSignal stop) {
        this.hook = new Thread(() -> {
            if (finished.getCount() == 0) {
                return; // an ordinary exit, not a signal
            }
            log.warn("stop requested: finishing the current pages, saving checkpoints");
            stop.request();
            try {
                if (!finished.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    log.error("the run did not stop within {} s; ending it now (exit {}); the same command resumes"
                            + " from the last saved checkpoint", WAIT_SECONDS, Failure.INTERRUPTED.exitCode());
                    Runtime.getRuntime().halt(Failure.INTERRUPTED.exitCode());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(exitCode);
        }, "graceful-stop");
    }

    public static GracefulStop install(StopSignal stop) {
        GracefulStop graceful = new GracefulStop(stop);
        Runtime.getRuntime().addShutdownHook(graceful.hook);
        return graceful;
    }

    /** The run is over: a signal arriving now just ends the process with this code. */
    public void finished(int code) {
        this.exitCode = code;
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running and will halt with this code
        }
    }
}
