package dev.redisombatch.batch.state;

import java.util.Locale;

/**
 * Which way a migration runs: {@code up} to apply it, {@code down} to roll it back, or {@code up} again over an applied
 * migration's keys to convert what was written the old way since (a rewalk).
 */
public enum Direction {
    APPLY,
    ROLLBACK,
    REWALK;

    /** Lower case, as job parameters and logs show it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the migration's {@code up} runs (else its {@code down}). */
    public boolean runsUp() {
        return this != ROLLBACK;
    }

    /** The direction a run's mode names ({@code apply}, {@code rollback-dry-run}...). */
    public static Direction ofMode(String mode) {
        for (Direction direction : values()) {
            if (mode.startsWith(direction.label())) {
                return direction;
            }
        }
        throw new IllegalArgumentException("no direction in mode " + mode);
    }
}
