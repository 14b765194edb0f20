package dev.redisombatch.batch.data.step;

import java.util.Locale;

/** What happens to a document that cannot be migrated; Redis OM's names for the same choice. */
public enum FailureMode {
    /** Stop the run at the first such document. */
    FAIL,
    /** Skip it and record it in the skip log (Redis), without a log line per key. */
    SKIP,
    /** Skip it, record it, and log a warning naming the key and the reason. */
    LOG_AND_SKIP;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
