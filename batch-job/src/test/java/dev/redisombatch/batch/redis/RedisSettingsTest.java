package dev.redisombatch.batch.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The URL is parsed once and the password file read once, when the settings are made; callers get copies. */
class RedisSettingsTest {

    @TempDir
    Path dir;

    @Test
    void thePasswordFileIsReadOnceWhenTheSettingsAreMade() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "first\n");
        RedisSettings settings = withPasswordFile("redis://127.0.0.1:6390/2", file);

        Files.writeString(file, "rotated\n");

        assertThat(settings.uri().getPassword()).isEqualTo("first".toCharArray());
        assertThat(withPasswordFile("redis://127.0.0.1:6390/2", file).uri().getPassword())
                .as("the next run reads the file again")
                .isEqualTo("rotated".toCharArray());
    }

    @Test
    void theUriKeepsWhatTheUrlSaysAndTheOptionsAdd() {
        RedisSettings settings =
                RedisSettings.of("rediss://mig:pw@10.0.0.1:6380/3").withTimeout(Duration.ofSeconds(4));

        RedisURI uri = settings.uri();
        assertThat(uri.getHost()).isEqualTo("10.0.0.1");
        assertThat(uri.getPort()).isEqualTo(6380);
        assertThat(uri.getDatabase()).isEqualTo(3);
        assertThat(uri.getUsername()).isEqualTo("mig");
        assertThat(uri.getPassword()).isEqualTo("pw".toCharArray());
        assertThat(uri.isSsl()).isTrue();
        assertThat(uri.getVerifyMode()).isEqualTo(SslVerifyMode.FULL);
        assertThat(uri.getTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.target()).isEqualTo("10.0.0.1:6380/3");
    }

    @Test
    void everyCallerGetsItsOwnCopies() {
        RedisSettings settings = RedisSettings.of("redis-cluster://mig:pw@10.0.0.2:7001,10.0.0.1:7000");

        settings.seeds().get(0).setPassword("changed".toCharArray());

        assertThat(settings.seeds()).extracting(RedisURI::getPort).containsExactly(7001, 7000);
        assertThat(settings.seeds())
                .allSatisfy(seed -> assertThat(seed.getPassword()).isEqualTo("pw".toCharArray()));
        assertThat(settings.target()).isEqualTo("cluster:10.0.0.1:7000,10.0.0.2:7001");
    }

    private static RedisSettings withPasswordFile(String url, Path file) {
        RedisSettings defaults = RedisSettings.of(url);
        return new RedisSettings(
                defaults.url(),
                file,
                defaults.timeout(),
                defaults.retries(),
                null,
                null,
                null,
                defaults.tlsVerify(),
                defaults.slotGrouping());
    }
}
