package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceChangesTest {

    private static SourceChanges of(SourceChanges.Server... servers) {
        return new SourceChanges(List.of(servers));
    }

    private static SourceChanges.Server server(String runId, long changes, String savedAt) {
        return server(runId, changes, savedAt, 0);
    }

    private static SourceChanges.Server server(String runId, long changes, String savedAt, long flushes) {
        return new SourceChanges.Server(runId, changes, savedAt, flushes, "0-16383");
    }

    private static SourceChanges.Server owning(String runId, long changes, String slots) {
        return new SourceChanges.Server(runId, changes, "100", 0, slots);
    }

    @Test
    void aFlushOfAServerStillRunningIsSeenAndARestartedOneCannotTell() {
        SourceChanges before = of(server("a", 5, "100", 2), server("b", 10, "100", 0));

        assertThat(of(server("a", 9, "100", 2), server("b", 10, "100", 0)).flushedSince(before))
                .as("writes only")
                .isNull();
        assertThat(of(server("a", 5, "100", 2), server("b", 0, "200", 1)).flushedSince(before))
                .as("a FLUSHALL on b, which saved")
                .startsWith("was flushed");
        assertThat(of(server("a", 5, "100", 0), server("b", 10, "100", 0)).flushedSince(before))
                .as("a's statistics reset: a flush before it cannot be told")
                .contains("CONFIG RESETSTAT");
        assertThat(of(server("a", 5, "100", 2), server("x", 0, "200", 0)).flushedSince(before))
                .as("b replaced: its counts began again")
                .isNull();
        assertThat(of(server("a", 5, "100", 3)).flushedSince(of(server("a", 5, "100", -1))))
                .as("a reading kept by an older build")
                .isNull();
    }

    @Test
    void theChangesOfEveryMasterAreSummed() {
        SourceChanges before = of(server("b", 10, "100"), server("a", 5, "100"), server("c", 0, "90"));
        SourceChanges after = of(server("a", 7, "100"), server("c", 4, "90"), server("b", 10, "100"));

        assertThat(after.since(before)).hasValue(6);
    }

    @Test
    void aMasterRestartedSavedOrReplacedOrAnotherSetOfMastersCannotTell() {
        SourceChanges before = of(server("a", 5, "100"), server("b", 10, "100"));

        assertThat(of(server("a", 6, "100"), server("x", 11, "100")).since(before))
                .as("a failover")
                .isEmpty();
        assertThat(of(server("a", 6, "100"), server("b", 1, "200")).since(before))
                .as("a save")
                .isEmpty();
        assertThat(of(server("a", 6, "100")).since(before)).as("a master fewer").isEmpty();
        assertThat(of(server("a", 6, "100"), server("b", 11, "100")).since(null))
                .as("no reading")
                .isEmpty();
    }

    @Test
    void slotsMovedBetweenTheReadingsCannotTell() {
        SourceChanges before = of(owning("a", 5, "0-8191"), owning("b", 10, "8192-16383"));

        assertThat(of(owning("a", 9, "0-6191"), owning("b", 14, "6192-16383")).since(before))
                .as("a reshard counts every key it moves as a change on both masters")
                .isEmpty();
        assertThat(of(owning("a", 9, "0-8191"), owning("b", 14, "8192-16383")).since(before))
                .hasValue(8);
        assertThat(of(owning("a", 9, "0-6191")).since(of(new SourceChanges.Server("a", 5, "100", 0, null))))
                .as("a reading kept by an older build, without slots")
                .hasValue(4);
    }

    @Test
    void aReadingKeptInTheTargetsMarkReadsBackTheSame() {
        SourceChanges reading = of(server("b", 10, "100"), server("a", 5, "99"));
        Map<String, String> fields = new HashMap<>();
        reading.writeTo(fields, "");
        reading.writeTo(fields, "in_step_");

        assertThat(SourceChanges.from(fields, "")).isEqualTo(reading);
        assertThat(SourceChanges.from(fields, "in_step_")).isEqualTo(reading);
        assertThat(fields).containsEntry("source_run_id", "a,b").containsEntry("in_step_source_run_id", "a,b");
        assertThat(SourceChanges.from(Map.of("source_run_id", "a", "source_changes", "5", "source_saved_at", "99"), ""))
                .as("a single server's, as marks before flushes were counted kept it")
                .isEqualTo(of(new SourceChanges.Server("a", 5, "99", -1, null)));
        assertThat(fields).containsEntry("source_slots", "0-16383;0-16383");
    }
}
