package dev.redisombatch.batch.cli;

import java.io.Console;

/**
 * The operator's terminal, where the tool may ask a question: {@link #system} when there is one. A small interface so
 * that tests can answer in its place.
 */
interface Terminal {

    /** Writes {@code text} as it is. */
    void print(String text);

    /** Shows {@code prompt} and reads one line; null at the end of input (Ctrl-D, a closed terminal). */
    String readLine(String prompt);

    /**
     * This process's terminal, or null when it has none. {@link System#console()} decides: on Java 17 to 21 it is
     * non-null only when both standard input and standard output are a terminal, so a pipe, a redirect, cron, CI
     * and a Kubernetes pod (even with {@code tty: true} but no stdin) get no terminal and are never asked.
     */
    static Terminal system() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        return new Terminal() {
            @Override
            public void print(String text) {
                console.writer().print(text);
                console.flush();
            }

            @Override
            public String readLine(String prompt) {
                return console.readLine("%s", prompt);
            }
        };
    }
}
