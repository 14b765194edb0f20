package dev.redisombatch.batch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bar's line on standard error, and log lines written around it. */
class StatusLineTest {

    private static final String ERASE = "\u001b[K";

    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private PrintStream standardError;

    @BeforeEach
    void captureStandardError() {
        standardError = System.err;
        System.setErr(new PrintStream(written, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        StatusLine.use(false, ProgressBar.DEFAULT_COLUMNS);
        System.setErr(standardError);
    }

    private String written() {
        return written.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLogLineErasesTheBarAndTheBarIsDrawnAgainBelowIt() {
        StatusLine.use(true, 80);
        Object reporter = new Object();
        StatusLine.draw(reporter, "m1 10%");
        StatusLine.draw(reporter, "m1 20%");
        StatusLine.aroundLog(() -> System.err.print("12:00:00.000 WARN  a warning\n"));
        StatusLine.finish(reporter);

        assertThat(written())
                .isEqualTo("\rm1 10%" + ERASE + "\rm1 20%" + ERASE
                        + "\r" + ERASE + "12:00:00.000 WARN  a warning\n"
                        + "\rm1 20%" + ERASE + System.lineSeparator());
    }

    @Test
    void oneReporterOwnsTheLineUntilItFinishes() {
        StatusLine.use(true, 80);
        Object first = new Object();
        Object second = new Object();
        StatusLine.draw(first, "first");
        StatusLine.draw(second, "second");
        StatusLine.finish(second);
        StatusLine.finish(first);
        StatusLine.draw(second, "second");

        assertThat(written()).isEqualTo("\rfirst" + ERASE + System.lineSeparator() + "\rsecond" + ERASE);
    }

    @Test
    void offNothingIsDrawnAndLogLinesAreWrittenAsTheyAre() {
        StatusLine.use(false, 80);
        Object reporter = new Object();
        StatusLine.draw(reporter, "m1 10%");
        StatusLine.aroundLog(() -> System.err.print("a line\n"));
        StatusLine.finish(reporter);

        assertThat(written()).isEqualTo("a line\n");
    }
}
