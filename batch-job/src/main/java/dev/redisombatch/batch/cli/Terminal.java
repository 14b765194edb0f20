package dev.redisombatch.batch.cli;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

    /**
     * Whether standard error, where logs and the progress bar go, is a terminal, whatever standard output is (a run
     * whose results are redirected to a file still has a person watching its progress). Java has no isatty for one
     * stream: on Linux, {@code /proc/self/fd/2} links to the terminal's device ({@code /dev/pts/N},
     * {@code /dev/ttyN}) when it is one; where there is no {@code /proc}, the question is the prompt's above,
     * {@link System#console()}.
     */
    static boolean standardErrorIsTerminal() {
        try {
            String device = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /**
     * The terminal's width as text: {@code COLUMNS} when the shell exports it (most do not), else the columns
     * {@code stty size} gives for the controlling terminal; null when neither knows (the caller assumes a width).
     */
    static String columns(Map<String, String> environment) {
        String columns = environment.get("COLUMNS");
        if (columns != null) {
            return columns;
        }
        try {
            Process stty = new ProcessBuilder("stty", "size")
                    .redirectInput(new File("/dev/tty"))
                    .redirectError(Redirect.DISCARD)
                    .start();
            if (!stty.waitFor(1, TimeUnit.SECONDS)) {
                stty.destroyForcibly();
                return null;
            }
            String[] rowsAndColumns = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                    .strip()
                    .split(" ");
            return stty.exitValue() == 0 && rowsAndColumns.length == 2 ? rowsAndColumns[1] : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
