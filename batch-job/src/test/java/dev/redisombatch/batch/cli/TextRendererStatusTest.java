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

    /** A run still walking in another process is not one the same command resumes now: it is refused meanwhile. */
    @Test
    void aRunStillWalkingSaysWhereInsteadOfPromisingAResume() {
        Results.UnfinishedRun walking = new Results.UnfinishedRun(
                "data",
                ID,
                "apply-dry-run",
                0,
                9,
                "STARTED",
                LocalDateTime.of(2026, 12, 4, 21, 20),
                5,
                16,
                0.33,
                true,
                null,
                "is still running in migrateData pid 17 on vm (process table b/4) since 2026-12-04T21:20:43Z");

        String text = rendered(new Results.DataMigrationState(ID, "started", null, false, false, true, null), walking);

        assertThat(text)
                .contains("unfinished data run of " + ID + " (apply-dry-run, generation 0): execution 9 STARTED since"
                        + " 2026-12-04T21:20, 5/16 partitions complete, about 33% walked; it is still running in"
                        + " migrateData pid 17 on vm (process table b/4) since 2026-12-04T21:20:43Z\n")
                .doesNotContain("the same command resumes it");
    }

    @Test
    void repairCountsTheRunsStillWalkingApartFromThoseItAbandonsOrWould() {
        Results.UnfinishedRun walking = unfinished("STARTED", "is still running in apply-dry-run pid 17 on vm");
        Results.UnfinishedRun stopped = unfinished("STOPPED", null);

        assertThat(repaired(new Results.Repair(List.of(walking), 0, List.of())))
                .endsWith("1 run(s) still running: --abandon leaves them alone\n");
        assertThat(repaired(new Results.Repair(List.of(walking, stopped), 1, List.of())))
                .endsWith("1 run(s) marked abandoned: none of them will be resumed; 1 still running, left alone\n");
        assertThat(repaired(new Results.Repair(List.of(walking, stopped), 0, List.of())))
                .endsWith(
                        "1 unfinished run(s); --abandon marks them abandoned; 1 more still running, which it leaves alone\n");
        assertThat(repaired(new Results.Repair(List.of(stopped), 0, List.of())))
                .endsWith("\n1 unfinished run(s); --abandon marks them abandoned\n");
    }

    private static Results.UnfinishedRun unfinished(String status, String inProgress) {
        return new Results.UnfinishedRun(
                "data",
                ID,
                "apply-dry-run",
                0,
                9,
                status,
                LocalDateTime.of(2026, 12, 4, 21, 20),
                5,
                16,
                0.33,
                true,
                null,
                inProgress);
    }

    private static String repaired(Results.Repair repair) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TextRenderer(new PrintStream(bytes, true, StandardCharsets.UTF_8)).repair(repair);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String rendered(Results.DataMigrationState state) {
        return rendered(
                state,
                new Results.UnfinishedRun(
                        "data",
                        ID,
                        "rollback",
                        2,
                        7,
                        "STOPPED",
                        LocalDateTime.of(2026, 12, 3, 8, 0),
                        3,
                        12,
                        0.25,
                        true,
                        null,
                        null));
    }

    private static String rendered(Results.DataMigrationState state, Results.UnfinishedRun unfinished) {
        Results.Status status = new Results.Status(
                "redis://127.0.0.1:6379", List.of(state), List.of(), List.of(unfinished), null, null, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TextRenderer(new PrintStream(bytes, true, StandardCharsets.UTF_8)).status(status);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
