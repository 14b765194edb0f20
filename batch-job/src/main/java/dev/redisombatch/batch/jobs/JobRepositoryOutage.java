package dev.redisombatch.batch.jobs;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rides out a job repository that blinks (a database restarted, failed over, briefly out of connections): a failure
 * that {@link Failures#isJobRepositoryOutage} calls an outage starts one, logged once as a WARN line; the next call
 * that succeeds ends it, logged as an INFO line. Past {@code limit} the outage ends the command with
 * {@link Failure#REPOSITORY_UNAVAILABLE} (exit 1, resumable); a limit of zero waits for ever (a worker). Any other
 * failure propagates at once. Shared by the threads of one process, so that each outage is told once.
 */
public final class JobRepositoryOutage {

    private static final Logger log = LoggerFactory.getLogger(JobRepositoryOutage.class);
    private static final Duration FIRST_DELAY = Duration.ofMillis(200);
    private static final Duration MAX_DELAY = Duration.ofSeconds(2);

    private final String who;
    private final Duration limit;
    private final Runnable givingUp;
    private long startedAt = -1;

    /**
     * @param who what waits, as log lines start ("worker", "manager", "start")
     * @param limit how long an outage may last; zero for ever
     */
    public JobRepositoryOutage(String who, Duration limit) {
        this(who, limit, () -> {});
    }

    /**
     * @param givingUp run once the limit is passed, before the failure is thrown: what the run still records on its
     *     way out (its steps failed) should then fail at once rather than wait for the database again
     */
    public JobRepositoryOutage(String who, Duration limit, Runnable givingUp) {
        this.who = who;
        this.limit = limit;
        this.givingUp = givingUp;
    }

    /**
     * A call to the job repository failed: returns while this is an outage within the limit, throws otherwise.
     */
    public void failed(RuntimeException failure) {
        failed(failure, System.nanoTime());
    }

    /**
     * {@link #failed(RuntimeException)} for a call that began at {@code attemptStartedAt} ({@link System#nanoTime}):
     * an outage starts when the first failed call began, since a call to a database that is gone can wait for a
     * connection a while before it fails.
     */
    public synchronized void failed(RuntimeException failure, long attemptStartedAt) {
        if (!Failures.isJobRepositoryOutage(failure)) {
            throw failure;
        }
        long now = System.nanoTime();
        if (startedAt < 0) {
            startedAt = attemptStartedAt;
            log.warn(
                    "{}: the job repository cannot be reached ({}); {}",
                    who,
                    Failures.describe(failure),
                    limit.isZero()
                            ? "trying again until it answers"
                            : "trying again for up to " + limit.toSeconds() + " s");
        }
        if (!limit.isZero() && now - startedAt > limit.toNanos()) {
            givingUp.run();
            throw new RedisOmBatchException(
                    Failure.REPOSITORY_UNAVAILABLE,
                    "the job repository could not be reached"
                            + " for " + limit.toSeconds() + " s (--job-repository.outage-timeout): "
                            + Failures.describe(failure),
                    failure);
        }
    }

    /** A call to the job repository succeeded: an outage, if there was one, is over. */
    public synchronized void answered() {
        if (startedAt >= 0) {
            log.info(
                    "{}: the job repository answers again, after {} s",
                    who,
                    Duration.ofNanos(System.nanoTime() - startedAt).toSeconds());
            startedAt = -1;
        }
    }

    public synchronized boolean ongoing() {
        return startedAt >= 0;
    }

    /**
     * Runs {@code call} until it succeeds, waiting out an outage with growing pauses; for calls that may be repeated
     * (opening the repository, reading it). A stop request ends the wait with the outage's failure.
     */
    public <T> T call(Supplier<T> call, BooleanSupplier stopRequested) {
        Duration delay = FIRST_DELAY;
        while (true) {
            long attemptStartedAt = System.nanoTime();
            try {
                T result = call.get();
                answered();
                return result;
            } catch (RuntimeException e) {
                if (stopRequested.getAsBoolean()) {
                    throw e;
                }
                failed(e, attemptStartedAt);
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisOmBatchException(Failure.STOPPED, "interrupted while waiting for the job repository");
            }
            delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
        }
    }
}
