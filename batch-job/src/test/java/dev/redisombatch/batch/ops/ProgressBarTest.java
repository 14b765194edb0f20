package dev.redisombatch.batch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One line of the progress bar, from a snapshot of a walk. */
class ProgressBarTest {

    private static final String ID = "20240101_000000_datetime_fields_to_timestamps";

    private static MigrationProgress.Snapshot snapshot(
            long read, double fractionDone, double fractionThisRun, double seconds) {
        return new MigrationProgress.Snapshot(
                new DocumentCounts(read, read / 2, read / 2, 0, 0, 0, 0), fractionDone, fractionThisRun, seconds);
    }

    @Test
    void aLineShowsTheIdTheBarTheShareWalkedKeysReadTheRateAndTheTimeLeft() {
        String line = ProgressBar.line(ID, snapshot(250_000, 0.25, 0.25, 10), 120);

        assertThat(line)
                .isEqualTo(ID + " [#####...............]  25.0%  250,000 read  25,000 keys/s  ETA 30s")
                .hasSizeLessThan(120);
    }

    @Test
    void beforeAnyRateTheTimeLeftIsUnknown() {
        assertThat(ProgressBar.line(ID, snapshot(0, 0, 0, 0), 120))
                .endsWith("[....................]   0.0%  0 read  0 keys/s  ETA --");
        // A resumed walk starts at the share walked before, still without a pace of its own.
        assertThat(ProgressBar.line(ID, snapshot(0, 0.5, 0, 0.2), 120))
                .contains("[##########..........]  50.0%")
                .endsWith("ETA --");
    }

    @Test
    void theLineStaysUnderTheTerminalsWidthLosingTheBarFirst() {
        MigrationProgress.Snapshot walking = snapshot(1_234_567, 0.5, 0.5, 100);

        String narrow = ProgressBar.line("m1", walking, 60);
        assertThat(narrow).hasSizeLessThanOrEqualTo(59).startsWith("m1 [").endsWith("ETA 1m40s");
        String tooNarrowForABar = ProgressBar.line("m1", walking, 50);
        assertThat(tooNarrowForABar)
                .hasSizeLessThanOrEqualTo(49)
                .doesNotContain("[")
                .startsWith("m1  50.0%");
        for (int columns = 1; columns <= 200; columns++) {
            assertThat(ProgressBar.line(ID, walking, columns)).hasSizeLessThanOrEqualTo(Math.max(1, columns - 1));
        }
    }

    @Test
    void longTimesLeftAreInMinutesAndHours() {
        assertThat(ProgressBar.duration(59)).isEqualTo("59s");
        assertThat(ProgressBar.duration(185)).isEqualTo("3m05s");
        assertThat(ProgressBar.duration(7_620)).isEqualTo("2h07m");
    }

    @Test
    void theWidthIsColumnsWhenItHoldsANumber() {
        assertThat(ProgressBar.columns("132")).isEqualTo(132);
        assertThat(ProgressBar.columns(null)).isEqualTo(ProgressBar.DEFAULT_COLUMNS);
        assertThat(ProgressBar.columns("wide")).isEqualTo(ProgressBar.DEFAULT_COLUMNS);
        assertThat(ProgressBar.columns("0")).isEqualTo(ProgressBar.DEFAULT_COLUMNS);
    }

    @Test
    void theLogLineIsAsBeforeTheBar() {
        assertThat(snapshot(250_000, 0.25, 0.25, 10).describe())
                .isEqualTo(String.format(
                        "%.1f%% walked, %,d read, %,d changed, %,d skipped, %,.0f keys/s, about 30s left",
                        25.0, 250_000, 125_000, 0, 25_000.0));
        assertThat(snapshot(0, 0, 0, 0).describe()).doesNotContain("left");
    }
}
