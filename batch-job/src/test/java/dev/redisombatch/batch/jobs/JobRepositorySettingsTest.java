package dev.redisombatch.batch.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.failure.Redaction;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password file is read once, when the settings are made: every pool of a run connects with the same password. An
 * H2 URL gets the settings the tool needs unless it gives its own.
 */
class JobRepositorySettingsTest {

    @TempDir
    Path dir;

    @Test
    void thePasswordFileIsReadOnceWhenTheSettingsAreMade() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "first\n");
        JobRepositorySettings settings = withPasswordFile(file);

        Files.writeString(file, "rotated\n");

        assertThat(settings.effectivePassword()).isEqualTo("first");
        assertThat(withPasswordFile(file).effectivePassword())
                .as("the next run reads the file again")
                .isEqualTo("rotated");
    }

    @Test
    void anH2UrlKeepsItsDatabaseOpenUntilTheRunClosesItAndWritesNoTraceFileUnlessItSaysOtherwise() {
        assertThat(withUrl("jdbc:h2:file:./repo/jobs").connectionUrl())
                .isEqualTo("jdbc:h2:file:./repo/jobs;DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0");
        assertThat(withUrl("jdbc:h2:file:./repo/jobs;trace_level_file=2").connectionUrl())
                .isEqualTo("jdbc:h2:file:./repo/jobs;trace_level_file=2;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(withUrl("jdbc:postgresql://127.0.0.1/jobs").connectionUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1/jobs");
    }

    /** PgJDBC takes user:password@host for a host name, and its error would print the password. */
    @Test
    void aPostgresqlUrlWithAUserAndPasswordBeforeTheHostIsRefusedWithoutShowingThePassword() {
        assertThatThrownBy(() -> withUrl("jdbc:postgresql://batch:pa55@word@db.example:5432/jobs"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("job-repository.url: PostgreSQL's driver reads no user:password@")
                .hasMessageNotContaining("pa55");
        assertThat(Redaction.mask("connection failed: batch:pa55@word@db.example"))
                .as("masked wherever it shows up later")
                .isEqualTo("connection failed: batch:" + Redaction.MASK + "@db.example");
        assertThat(withUrl("jdbc:postgresql://db.example:5432/jobs?user=batch").url())
                .isEqualTo("jdbc:postgresql://db.example:5432/jobs?user=batch");
    }

    private static JobRepositorySettings withUrl(String url) {
        return new JobRepositorySettings(url, "", "", null, Duration.ofSeconds(60));
    }

    private static JobRepositorySettings withPasswordFile(Path file) {
        return new JobRepositorySettings("jdbc:postgresql://127.0.0.1/jobs", "batch", "", file, Duration.ofSeconds(60));
    }
}
