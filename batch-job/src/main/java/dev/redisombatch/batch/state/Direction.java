package dev.redisombatch.batch.state;

import java.util.Locale;

/** Which way a migration runs: {@code up} to apply it, {@code down} to roll it back. */
public enum Direction {
    APPLY, ROLLBACK;

    /** Lower case, as job parameters and logs show it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
