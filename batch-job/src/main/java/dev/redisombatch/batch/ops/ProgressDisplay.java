package dev.redisombatch.batch.ops;

/**
 * How a running migration shows its progress ({@code --progress.display}): a bar redrawn in place on a terminal, or
 * a log line every {@code --progress.interval}.
 */
public enum ProgressDisplay {
    /** A bar when standard error is a terminal that can redraw a line, log lines otherwise. */
    auto,
    /** Always the bar, even into a file or a pipe (which then holds carriage returns). */
    bar,
    /** Always log lines, as cron, CI and Kubernetes get them. */
    log;

    /**
     * Whether this choice draws the bar. {@code TERM=dumb} (Emacs' shell, some IDE consoles) and no {@code TERM} at
     * all (cron, a Kubernetes pod) mean the terminal may not understand a carriage return and an erase to the end of
     * the line, so {@code auto} logs there.
     *
     * @param standardErrorIsTerminal whether this process's standard error is a terminal
     * @param term the {@code TERM} environment variable, null when unset
     */
    public boolean drawsBar(boolean standardErrorIsTerminal, String term) {
        return switch (this) {
            case bar -> true;
            case log -> false;
            case auto -> standardErrorIsTerminal && term != null && !term.isBlank() && !term.equals("dumb");
        };
    }
}
