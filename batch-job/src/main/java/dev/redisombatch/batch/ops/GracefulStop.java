package dev.redisombatch.batch.ops;

import dev.redisombatch.batch.failure.Failure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM (Kubernetes stopping a pod, Ctrl-C) into a stop at the next page boundary. The JVM runs shutdown hooks
 * on the signal; this one raises the {@link StopSignal}, waits for the run to save its checkpoint and close, then ends
 * the process with the run's own exit code (halt: System.exit may not be called during shutdown). A run that does not
 * stop in time ends with exit 6 all the same, never 0: its work did not finish, and its last checkpoint stands.
 */
public final class GracefulStop {

    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);
    /**
     * Kubernetes' default grace period is 30 s; a page takes well under a second, and a stopping run retries
     * nothing. A run still busy after this (a Redis call that gets no answer, a migration whose code does not return)
     * is ended without reaching a page boundary: what was committed stays, and the page in flight is read again by
     * the next run. Its lock is released first, if Redis answers within {@link #RELEASE_WAIT}, so the next run is not
     * kept out.
     */
    private static final long WAIT_SECONDS = 25;

    private static final Duration RELEASE_WAIT = Duration.ofSeconds(2);

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile int exitCode = Failure.INTERRUPTED.exitCode();

    private GracefulStop(StopSignal stop) {
        this.hook = new Thread(
                () -> {
                    if (finished.getCount() == 0) {
                        return; // an ordinary exit, not a signal
                    }
                    log.warn("stop requested: finishing the current pages, saving checkpoints");
                    stop.request();
                    try {
                        if (!finished.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                            System.err.println(
                                    "redis-om-batch: stop requested, but the run did not reach a page boundary"
                                            + " within " + WAIT_SECONDS + " s (" + stillBusy()
                                            + "); ending it now. What was committed is kept: the same command"
                                            + " resumes from there, reading the page in flight again (a dry run"
                                            + " on data no run has marked walks every slice again).");
                            if (!stop.runBeforeHalt(RELEASE_WAIT)) {
                                // Said only when it is so: a Redis that does not answer (CLIENT PAUSE, a network
                                // cut) keeps the release waiting as it kept the run.
                                System.err.println("redis-om-batch: its lock was not released within "
                                        + RELEASE_WAIT.toSeconds() + " s (Redis did not answer): the next run"
                                        + " waits for it to expire, at most --lock.ttl from the run's last renewal.");
                            }
                            Runtime.getRuntime().halt(Failure.STOPPED.exitCode());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(exitCode);
                },
                "graceful-stop");
    }

    /** What kept the run from stopping, as far as can be told. */
    private static String stillBusy() {
        List<String> inMigrationCode = RunningMigrationCode.now();
        if (!inMigrationCode.isEmpty()) {
            return "the migration's own code had not returned: " + String.join(", ", inMigrationCode);
        }
        return "no migration code was running: a call to Redis or to the job repository was still waiting";
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
