package dev.redisombatch.batch.ops;

import java.util.Locale;
import java.util.OptionalLong;

/** One line of a progress bar, as wide as the terminal allows and never wider. */
public final class ProgressBar {

    /** The width assumed when the terminal's is not known (most shells do not export {@code COLUMNS}). */
    public static final int DEFAULT_COLUMNS = 80;

    private static final int WIDEST_BAR = 20;
    /** Narrower than this, the bar says nothing the percentage does not: it is left out. */
    private static final int NARROWEST_BAR = 5;

    private ProgressBar() {}

    /** A walk: migration id, bar, share walked, keys read, keys/s and the time left ({@code ETA --} before a rate). */
    public static String line(String migrationId, MigrationProgress.Snapshot snapshot, int columns) {
        OptionalLong secondsLeft = snapshot.secondsLeft();
        String details = String.format(
                Locale.ROOT,
                "%5.1f%%  %,d read  %,.0f keys/s  ETA %s",
                100 * snapshot.fractionDone(),
                snapshot.read(),
                snapshot.keysPerSecond(),
                secondsLeft.isPresent() ? duration(secondsLeft.getAsLong()) : "--");
        return line(migrationId, snapshot.fractionDone(), details, columns);
    }

    /**
     * {@code label [####......] details}, cut to one column less than {@code columns}: a line that reaches the last
     * column wraps on many terminals, and a wrapped line can no longer be redrawn with a carriage return.
     */
    public static String line(String label, double fraction, String details, int columns) {
        int room = Math.max(1, columns - 1);
        int barWidth = Math.min(WIDEST_BAR, room - label.length() - details.length() - 4);
        String text;
        if (barWidth >= NARROWEST_BAR) {
            int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * barWidth);
            text = label + " [" + "#".repeat(filled) + ".".repeat(barWidth - filled) + "] " + details;
        } else {
            text = label + " " + details;
        }
        return text.length() <= room ? text : text.substring(0, room);
    }

    /** A terminal width given as text ({@code COLUMNS}, {@code stty size}), or {@link #DEFAULT_COLUMNS} when it holds none. */
    public static int columns(String width) {
        try {
            int columns = Integer.parseInt(width == null ? "" : width.strip());
            return columns > 0 ? columns : DEFAULT_COLUMNS;
        } catch (NumberFormatException e) {
            return DEFAULT_COLUMNS;
        }
    }

    /** {@code 45s}, {@code 3m05s}, {@code 2h07m}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
