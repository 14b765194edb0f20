package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.DocumentRejectedException;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of a document that cannot be migrated, per the failure mode: {@code fail} stops the partition (and the
 * run, exit 4); {@code skip} and {@code log_and_skip} spend one error of the run's budget and keep it for the skip log,
 * the latter also logging it. A check ({@link #countOnly}) neither stops nor spends.
 */
final class RejectionPolicy {

    private static final Logger log = LoggerFactory.getLogger(RejectionPolicy.class);

    private final String migrationId;
    private final FailureMode mode;
    private final ErrorBudget budget;

    RejectionPolicy(String migrationId, FailureMode mode, ErrorBudget budget) {
        this.migrationId = migrationId;
        this.mode = mode;
        this.budget = budget;
    }

    String migrationId() {
        return migrationId;
    }

    /** For verify: every rejection is only counted. */
    static RejectionPolicy countOnly(String migrationId) {
        return new RejectionPolicy(migrationId, FailureMode.SKIP, ErrorBudget.unlimited());
    }

    /** Handles one rejected document; returns what the skip log keeps of it, or throws to stop. */
    SkipEntry reject(DocumentRejectedException rejected) {
        if (mode == FailureMode.FAIL) {
            throw new RedisOmBatchException(
                    Failure.DATA, migrationId + ": " + rejected.getMessage() + " (--failure-mode=fail)", rejected);
        }
        budget.spend(rejected);
        if (mode == FailureMode.LOG_AND_SKIP) {
            log.warn("{}: skipped {}", migrationId, rejected.getMessage());
        }
        return SkipEntry.of(rejected);
    }
}
