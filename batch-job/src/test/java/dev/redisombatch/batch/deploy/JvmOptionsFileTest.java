package dev.redisombatch.batch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * deploy/jvm.options is given to every java command of the image, the manifests and the crontab line: a JVM that
 * cannot read it (a misspelt or removed -XX option) does not start at all, so this JVM must take it.
 */
class JvmOptionsFileTest {

    private static final Path OPTIONS = Path.of("..", "deploy", "jvm.options");

    @Test
    void theJvmStartsWithTheOptionsFileAndTakesEachOption() throws IOException, InterruptedException {
        List<String> options = Files.readAllLines(OPTIONS).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        assertThat(options).contains("-XX:+UseSerialGC");

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(
                        java.toString(), "@" + OPTIONS.toAbsolutePath(), "-XX:+PrintCommandLineFlags", "-version")
                .redirectErrorStream(true)
                .start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(jvm.exitValue()).as(output).isZero();
        assertThat(output.lines().findFirst().orElse("").split(" ")).as(output).containsAll(options);
    }
}
