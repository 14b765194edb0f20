package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.ops.ProcessOwner;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

class LiveDryRunsTest {

    private final LiveDryRuns dryRuns = new LiveDryRuns(Duration.ofSeconds(30));
    private final LocalDateTime now = LocalDateTime.now();

    @Test
    void aDryRunOfThisProcessTableIsRunningExactlyWhileItsProcessIsAlive() {
        JobExecution alive = execution(LiveDryRuns.naming("migrateData", new JobParameters()));
        String thisProcess = alive.getJobParameters().getString(LiveDryRuns.PROCESS);
        assertThat(thisProcess).isNotNull();
        assertThat(ProcessOwner.liveness(thisProcess)).isEqualTo(ProcessOwner.Liveness.ALIVE);

        // However long ago it last recorded progress: a page may take long (a server answering slowly).
        assertThat(dryRuns.whyMaybeRunning(alive, now.minusHours(1)))
                .isEqualTo("is still running in " + thisProcess + "; wait for it to finish");
        // The same process table, a pid that is gone: killed, so taken over at once, however recent its progress.
        String gone = thisProcess.replaceFirst("pid \\d+", "pid 999999");
        assertThat(ProcessHandle.of(999_999))
                .as("pid 999999 must not exist here")
                .isEmpty();
        assertThat(dryRuns.whyMaybeRunning(execution(named(gone)), now)).isNull();
    }

    @Test
    void aDryRunElsewhereIsRunningUntilItHasRecordedNoProgressForTheQuietLimit() {
        String elsewhere = "migrateData pid 42 on otherhost (process table x/1) since 2026-12-04T21:13:08Z";

        // 4 s ago when the test began; a busy machine may have added a second or two since.
        assertThat(dryRuns.whyMaybeRunning(execution(named(elsewhere)), now.minusSeconds(4)))
                .matches(Pattern.quote("may still be running in " + elsewhere + ": it recorded progress ")
                        + "[4-9] s ago; wait for it to finish, or, if that process is gone, run again once 30 s have"
                        + " passed without progress \\(in 2[1-6] s\\)");
        assertThat(dryRuns.whyMaybeRunning(execution(named(elsewhere)), now.minusSeconds(31)))
                .isNull();
        // An execution of an older version names no process: only its progress tells.
        assertThat(dryRuns.whyMaybeRunning(execution(new JobParameters()), now.minusSeconds(1)))
                .startsWith("may still be running in a process it does not name: it recorded progress ");
        assertThat(dryRuns.whyMaybeRunning(execution(new JobParameters()), null))
                .isNull();
    }

    private static JobParameters named(String process) {
        return new JobParametersBuilder()
                .addString(LiveDryRuns.PROCESS, process, false)
                .toJobParameters();
    }

    private static JobExecution execution(JobParameters parameters) {
        return new JobExecution(1, new JobInstance(1, MigrationExecutions.JOB_NAME), parameters);
    }
}
