package dev.redisombatch.batch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.redisombatch.batch.support.ChildProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker-compose.yml} checked by Compose itself ({@code docker-compose config}, Debian's docker-compose package,
 * installed by scripts/install-test-deps.sh), which validates the file against the Compose schema without an engine.
 */
class ComposeFileTest {

    private static final Path COMPOSE_FILE =
            Path.of("..", "docker-compose.yml").toAbsolutePath().normalize();

    @BeforeAll
    static void composeIsThere() {
        assumeTrue(
                ChildProcesses.findOnPath("docker-compose") != null,
                "no docker-compose on the PATH (scripts/install-test-deps.sh installs it)");
    }

    @Test
    void theComposeFileIsValid() throws Exception {
        Checked result = check(COMPOSE_FILE);

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void aMisspeltKeyIsRefused(@TempDir Path work) throws Exception {
        String compose = Files.readString(COMPOSE_FILE);
        String misspelt = compose.replaceFirst("\n    image: redis:", "\n    imag: redis:");
        assertThat(misspelt).isNotEqualTo(compose);
        Path file = Files.writeString(work.resolve("docker-compose.yml"), misspelt);

        Checked result = check(file);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("imag");
    }

    private record Checked(int exitCode, String output) {}

    private static Checked check(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("docker-compose", "--file", file.toString(), "config", "--quiet")
                .directory(file.getParent().toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("docker-compose config finished")
                .isTrue();
        return new Checked(
                process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
