package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.ops.ProcessOwner;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

class LiveExecutionsTest {

    private final LiveExecutions executions = new LiveExecutions(Duration.ofSeconds(30));
    private final LocalDateTime now = LocalDateTime.now();

    @Test
    void aDryRunOfThisProcessTableIsRunningExactlyWhileItsProcessIsAlive() {
        JobExecution alive = execution(LiveExecutions.naming("migrateData", new JobParameters()));
        String thisProcess = alive.getJobParameters().getString(LiveExecutions.PROCESS);
        assertThat(thisProcess).isNotNull();
        assertThat(ProcessOwner.liveness(thisProcess)).isEqualTo(ProcessOwner.Liveness.ALIVE);

        // However long ago it last recorded progress: a page may take long (a server answering slowly).
        assertThat(executions.whyMaybeRunning(alive, now.minusHours(1)))
                .isEqualTo("is still running in " + thisProcess);
        // The same process table, a pid that is gone: killed, so taken over at once, however recent its progress.
        // Above any pid_max Linux allows (4194304 at most).
        String gone = thisProcess.replaceFirst("pid \\d+", "pid " + Integer.MAX_VALUE);
        assertThat(executions.whyMaybeRunning(execution(named(gone)), now)).isNull();
        // Its pid now another process's, one started after it: gone as well.
        String reused = thisProcess.replaceFirst(" since \\S+", " since 2020-01-01T00:00Z");
        assertThat(executions.whyMaybeRunning(execution(named(reused)), now)).isNull();
    }

    @Test
    void aDryRunElsewhereIsRunningUntilItHasRecordedNoProgressForTheQuietLimit() {
        String elsewhere = "apply-dry-run pid 42 on otherhost (process table x/1) since " + OffsetDateTime.now();

        String why = executions.whyMaybeRunning(execution(named(elsewhere)), now.minusSeconds(4));
        Matcher quiet = Pattern.compile(
                        Pattern.quote("may still be running in " + elsewhere + " (it recorded progress ")
                                + "(\\d+) s ago; if that process is gone, it counts as stopped once it has recorded none for 30"
                                + " s \\(--lock.ttl\\), in (\\d+) s\\)")
                .matcher(why);
        assertThat(quiet.matches()).as(why).isTrue();
        // 4 s ago when the test began; a busy machine may have added some since, but not half a minute.
        assertThat(Long.parseLong(quiet.group(1))).isBetween(4L, 29L);
        assertThat(Long.parseLong(quiet.group(1)) + Long.parseLong(quiet.group(2)))
                .isEqualTo(30);
        assertThat(executions.whyMaybeRunning(execution(named(elsewhere)), now.minusSeconds(31)))
                .isNull();
        // An execution of an older version names no process: only its progress tells.
        assertThat(executions.whyMaybeRunning(execution(new JobParameters()), now.minusSeconds(1)))
                .startsWith("may still be running in a process it does not name (it recorded progress ");
        assertThat(executions.whyMaybeRunning(execution(new JobParameters()), null))
                .isNull();
    }

    /**
     * Spring Batch writes local times: those of a process in another time zone are read in its zone, with its rules:
     * a run started in summer time and seen after the clocks went back is not an hour old.
     */
    @Test
    void aRunStartedBeforeItsZoneChangedClocksIsReadInTheRulesOfNow() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        String sinceSummer = "apply-dry-run pid 42 on otherhost (process table x/1) since "
                + ZonedDateTime.of(2026, 10, 24, 12, 0, 0, 0, paris);
        ZonedDateTime winter = ZonedDateTime.of(2026, 12, 4, 12, 0, 0, 0, paris);
        assertThat(ProcessOwner.zone(sinceSummer)).contains(paris);
        assertThat(winter.getOffset())
                .isNotEqualTo(ZonedDateTime.parse(sinceSummer.replaceAll(".* since ", ""))
                        .getOffset());

        assertThat(executions.whyMaybeRunning(
                        execution(named(sinceSummer)), LocalDateTime.now(paris).minusSeconds(4)))
                .containsPattern("recorded progress \\d s ago");
    }

    /** Spring Batch writes local times: those of a process in another time zone are read in its own. */
    @Test
    void anotherHostsTimesAreReadInItsOwnOffset() {
        ZoneOffset east = ZoneOffset.ofHours(5);
        ZoneOffset west = ZoneOffset.ofHours(-7);
        String inTheEast = "apply-dry-run pid 42 on otherhost (process table x/1) since " + OffsetDateTime.now(east);
        String inTheWest = "apply-dry-run pid 42 on otherhost (process table x/1) since " + OffsetDateTime.now(west);

        assertThat(executions.whyMaybeRunning(
                        execution(named(inTheEast)), LocalDateTime.now(east).minusSeconds(4)))
                .containsPattern("recorded progress ([4-9]|1\\d|2[0-9]) s ago");
        assertThat(executions.whyMaybeRunning(
                        execution(named(inTheWest)), LocalDateTime.now(west).minusSeconds(4)))
                .containsPattern("recorded progress ([4-9]|1\\d|2[0-9]) s ago");
        assertThat(executions.whyMaybeRunning(
                        execution(named(inTheWest)), LocalDateTime.now(west).minusSeconds(40)))
                .isNull();
        // A clock a little ahead of this one: just now, never a negative time.
        assertThat(executions.whyMaybeRunning(
                        execution(named(inTheEast)), LocalDateTime.now(east).plusSeconds(3)))
                .contains("recorded progress 0 s ago");
    }

    private static JobParameters named(String process) {
        return new JobParametersBuilder()
                .addString(LiveExecutions.PROCESS, process, false)
                .toJobParameters();
    }

    private static JobExecution execution(JobParameters parameters) {
        return new JobExecution(1, new JobInstance(1, MigrationExecutions.JOB_NAME), parameters);
    }
}
