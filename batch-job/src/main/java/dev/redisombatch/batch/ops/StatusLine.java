package dev.redisombatch.batch.ops;

/**
 * The one line at the bottom of standard error that a progress bar redraws in place: a carriage return, the text, an
 * erase to the end of the line, and no newline until the walk is done. Process-wide, like the logging it shares
 * standard error with: the command line turns it on or off once per run ({@link #use}), before any job starts; off,
 * nothing here writes anything.
 *
 * <p>Log lines and the bar never mix. Every log event is written through {@link #aroundLog}, which erases the bar,
 * lets the event's line be written, and draws the bar again below it, all under the lock that drawing takes too. So
 * a log line never lands glued to a half-drawn bar, and the bar stays the last line on screen. (Guessing when
 * nothing else writes and drawing only then would be neither simpler nor safe: a warning can come at any time.)
 *
 * <p>One reporter owns the line at a time, the first that draws, until it {@linkplain #finish finishes}: several
 * partitions running in one worker would otherwise redraw it in turn.
 */
public final class StatusLine {

    private static final String ERASE_TO_END = "\u001b[K";
    private static final Object LOCK = new Object();

    private static volatile boolean enabled;
    private static int columns = ProgressBar.DEFAULT_COLUMNS;
    private static Object owner;
    /** What is on screen now; null when the line is empty. */
    private static String shown;

    private StatusLine() {}

    /**
     * @param bar whether progress is drawn as a bar for the rest of this run
     * @param terminalColumns the terminal's width, which a line must stay under
     */
    public static void use(boolean bar, int terminalColumns) {
        synchronized (LOCK) {
            enabled = bar;
            columns = terminalColumns;
            owner = null;
            shown = null;
        }
    }

    public static boolean enabled() {
        return enabled;
    }

    public static int columns() {
        synchronized (LOCK) {
            return columns;
        }
    }

    /** Shows {@code text} as the line, unless another reporter owns it. */
    public static void draw(Object reporter, String text) {
        synchronized (LOCK) {
            if (!enabled || (owner != null && owner != reporter)) {
                return;
            }
            owner = reporter;
            shown = text;
            System.err.print("\r" + text + ERASE_TO_END);
            System.err.flush();
        }
    }

    /** Leaves {@code reporter}'s last line on screen and ends it with a newline; the line is free again. */
    public static void finish(Object reporter) {
        synchronized (LOCK) {
            if (owner != reporter || shown == null) {
                return;
            }
            System.err.print(System.lineSeparator());
            System.err.flush();
            owner = null;
            shown = null;
        }
    }

    /** Writes a log line ({@code write}) above the bar: the bar is erased first and drawn again after. */
    public static void aroundLog(Runnable write) {
        synchronized (LOCK) {
            if (shown == null) {
                write.run();
                return;
            }
            System.err.print("\r" + ERASE_TO_END);
            System.err.flush();
            write.run();
            System.err.print("\r" + shown + ERASE_TO_END);
            System.err.flush();
        }
    }
}
