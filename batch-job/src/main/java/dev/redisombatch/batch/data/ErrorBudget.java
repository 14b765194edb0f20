package dev.redisombatch.batch.data;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;

/**
 * The number of documents one run may skip, shared by all partitions of all migrations in the run (Spring Batch's own
 * skip limit counts per partition). Once spent, every partition stops at its next page.
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
    void spend(Throwable failure) {
        if (spent.incrementAndGet() > maxErrors) {
            exhausted = true;
            throw new BudgetSpentException(maxErrors, failure);
        }
    }

    boolean isExhausted() {
        return exhausted;
    }

    public long spent() {
        return Math.min(spent.get(), maxErrors == Long.MAX_VALUE ? Long.MAX_VALUE : maxErrors + 1);
    }

    /** Stops a partition once another one has spent the budget. */
    void checkNotExhausted() {
        if (exhausted) {
            throw new ErrorBudgetExhaustedException(maxErrors);
        }
    }

    /** The failure that went one past the budget; Spring Batch treats it as its own skip limit being exceeded. */
    public static final class BudgetSpentException extends SkipLimitExceededException {
        BudgetSpentException(long maxErrors, Throwable failure) {
            super(maxErrors, failure);
        }

        @Override
        public String getMessage() {
            return "more documents failed than --max-errors=" + getSkipLimit() + " allows";
        }
    }

    /** Thrown in the partitions that did not themselves exceed the budget when another one did. */
    public static final class ErrorBudgetExhaustedException extends RuntimeException {
        ErrorBudgetExhaustedException(long maxErrors) {
            super("stopping: the run's error budget (--max-errors=" + maxErrors + ") is spent");
        }
    }
}
