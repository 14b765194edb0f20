package dev.redisombatch.batch.data;

import org.springframework.batch.core.step.skip.SkipPolicy;

/**
 * Skips documents that could not be migrated, per the failure mode and within the run-wide error budget. Anything
 * else (Redis unreachable after retries, a bug in the engine) is not skippable and fails the partition.
 */
public final class DocumentSkipPolicy implements SkipPolicy {

    private final FailureMode failureMode;
    private final ErrorBudget budget;

    public DocumentSkipPolicy(FailureMode failureMode, ErrorBudget budget) {
        this.failureMode = failureMode;
        this.budget = budget;
    }

    @Override
    public boolean shouldSkip(Throwable failure, long skipCount) {
        if (!(failure instanceof DocumentRejectedException) || failureMode == FailureMode.FAIL) {
            return false;
        }
        if (skipCount < 0) {
            // Spring Batch asks with -1 whether a failed chunk write may go to item-by-item scanning; the item that
            // really fails is counted then.
            return !budget.isExhausted();
        }
        budget.spend(failure);
        return true;
    }
}
