package dev.redisombatch.batch.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The password file is read once, when the settings are made: every pool of a run connects with the same password. */
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

    private static JobRepositorySettings withPasswordFile(Path file) {
        return new JobRepositorySettings("jdbc:postgresql://127.0.0.1/jobs", "batch", "", file, Duration.ofSeconds(60));
    }
}
