package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.TlsRedisServer;
import dev.redisombatch.batch.support.Users;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target reached over TLS with certificates of its own ({@code --target.tls.*}), from a source without TLS: refused
 * without its CA (exit 2, naming the target's option), copied and converted with it.
 */
class TargetTlsIT {

    private static final int USERS = 2_000;

    @RegisterExtension
    static final RedisServer source = new RedisServer();

    @RegisterExtension
    static final TlsRedisServer target = new TlsRedisServer();

    @TempDir
    Path work;

    private InProcessRun copy(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + source.url(),
                "--target.url=" + target.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at"));
        args.addAll(List.of(extra));
        return InProcessRun.of(args.toArray(String[]::new));
    }

    @Test
    void theTargetsOwnCaIsTrustedWithTargetTlsOptionsOnly() {
        source.commands().flushall();
        target.commands().flushall();
        Users.load(source, USERS);
        Map<String, Map<String, String>> before = Users.snapshot(source, Users.PATTERN);

        InProcessRun untrusted = copy();
        InProcessRun trusted = copy("--target.tls.ca-file=" + target.caFile());

        assertThat(untrusted.exitCode()).as(untrusted.output()).isEqualTo(2);
        assertThat(untrusted.output()).contains("--target.url").contains("TLS").contains("--target.tls.ca-file");
        assertThat(trusted.exitCode()).as(trusted.output()).isZero();
        assertThat(target.commands().keys(Users.PATTERN)).hasSize(USERS);
        long converted = before.keySet().stream()
                .filter(key -> {
                    String createdAt = target.commands().hget(key, "created_at");
                    return createdAt == null || createdAt.matches("-?\\d+\\.\\d+");
                })
                .count();
        assertThat(converted).isEqualTo(USERS);
    }
}
