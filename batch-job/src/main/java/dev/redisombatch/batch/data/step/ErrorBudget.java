package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.DocumentRejectedException;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The number of documents one run may skip, shared by all partitions of all migrations in the run. Once spent, every
 * partition stops at its next page.
 */
public final class ErrorBudget {

    private final long maxErrors;
    private final AtomicLong spent = new AtomicLong();
    private volatile boolean exhausted;

    /** @param maxErrors documents that may be skipped; one more stops the run */
    public ErrorBudget(long maxErrors) {
        this.maxErrors = maxErrors;
    }

    public static ErrorBudget unlimited() {
        return new ErrorBudget(Long.MAX_VALUE);
    }

    /** Spends one error on {@code failure}; throws when that is one more than the budget allows. */
    void spend(DocumentRejectedException failure) {
        if (spent.incrementAndGet() > maxErrors) {
            exhausted = true;
            throw new RedisOmBatchException(
                    Failure.DATA,
                    "more documents failed than --max-errors=" + maxErrors + " allows; the last: "
                            + failure.getMessage(),
                    failure);
        }
    }

    /**
     * Counts what the earlier executions of a resumed data run skipped (its checkpoints' counts): the run is the same
     * one, so a retry after exit 4 fails the same way instead of skipping up to the budget again each time; raising
     * {@code --max-errors} lets it go on. Throws when they alone are more than the budget allows.
     */
    public void spendEarlier(String migrationId, long skipped) {
        if (skipped > 0 && spent.addAndGet(skipped) > maxErrors) {
            exhausted = true;
            throw new RedisOmBatchException(
                    Failure.DATA,
                    migrationId + ": its earlier executions skipped " + skipped + " documents, more than --max-errors="
                            + maxErrors + " allows in one run; fix the data or the migration (XRANGE "
                            + SkippedKeyLog.streamKey(migrationId) + " - + lists them), or raise --max-errors");
        }
    }

    public long spent() {
        return Math.min(spent.get(), maxErrors == Long.MAX_VALUE ? Long.MAX_VALUE : maxErrors + 1);
    }

    /** Stops a partition once another one has spent the budget. */
    void checkNotExhausted() {
        if (exhausted) {
            throw new RedisOmBatchException(
                    Failure.DATA, "stopping: the run's error budget (--max-errors=" + maxErrors + ") is spent");
        }
    }
}
