package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.results.Results;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextRendererStatusTest {

    private static final String ID = "001_datetime_fields_to_timestamps";

    @Test
    void anUnfinishedRollbackOfAMigrationLoadedHereAsksForNoOptions() {
        String text = rendered(new Results.DataMigrationState(ID, "applied", null, true, false, true, null));

        assertThat(text)
                .contains("unfinished data run of " + ID + " (rollback, generation 2)")
                .contains("the same command resumes it")
                .contains("\nnothing pending")
                .doesNotContain("give the options of that run");
    }

    @Test
    void anUnfinishedRunOfAMigrationNotLoadedHereAsksForItsOptions() {
        String text = rendered(new Results.DataMigrationState(ID, "applied", null, true, false, false, null));

        assertThat(text)
                .contains("nothing pending among the migrations loaded here, but a run is unfinished or in progress:"
                        + " give the options of that run");
    }

    @Test
    void appliedWithoutARecordOfOursSaysWhatThatCanMean() {
        String text = rendered(new Results.DataMigrationState(ID, "applied", null, true, false, true, null));

        assertThat(text)
                .contains("in Redis OM's applied set, no record of this tool's: applied by another tool, copied from"
                        + " another Redis, or the record deleted");
    }

    private static String rendered(Results.DataMigrationState state) {
        Results.UnfinishedRun rollback = new Results.UnfinishedRun(
                "data", ID, "rollback", 2, 7, "STOPPED", LocalDateTime.of(2026, 12, 3, 8, 0), 3, 12, 0.25, true, null);
        Results.Status status = new Results.Status(
                "redis://127.0.0.1:6379", List.of(state), List.of(), List.of(rollback), null, null, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TextRenderer(new PrintStream(bytes, true, StandardCharsets.UTF_8)).status(status);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
