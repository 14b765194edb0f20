package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.plan.AppliedMigrations;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.JarProcess.Finished;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packaged jar as a separate process: exit codes, one-line errors, and recovery after kill -9. */
class CommandLineIT {

    private static RedisServer redis;

    @TempDir
    Path work;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    private String[] migrateArgs(String... extra) {
        List<String> args = new ArrayList<>(List.of("--job=migrateData", "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"), "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at", "--datetime.zone=UTC"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--nope=1           | --nope",
        "--partitions=6     | --partitions",
        "--chunk-size=-5    | --chunk-size",
        "--redis.url=redis://:99999999 | --redis.url",
        "--job-repository.url=h2:file:x | --job-repository.url",
        "--failure-mode=explode | --failure-mode"})
    void badInputIsOneLineNamingTheOptionAndExitCode2(String option, String culprit) throws Exception {
        Finished run = JarProcess.run(work, "--job=migrateData", option);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().strip().lines()).hasSize(1);
        assertThat(run.stderr()).contains(culprit);
        assertThat(work.resolve("redis-om-batch-repository")).doesNotExist();
    }

    @Test
    void anUnreachableRedisIsAClearErrorWithTheResumableExitCode() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Finished run = JarProcess.run(work, "--job=migrateData", "--redis.url=redis://127.0.0.1:" + closedPort,
                "--redis.retries=1", "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("Redis at 127.0.0.1:" + closedPort + " failed")
                .contains("run the same command again");
    }

    @Test
    void aRunKilledWithSigkillResumesWhenTheSameCommandRunsAgain() throws Exception {
        redis.commands().flushall();
        Users.load(redis, 150_000);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        String[] args = migrateArgs("--partitions=8", "--threads=1", "--chunk-size=100", "--scan-count=100",
                "--progress.interval=1");

        JarProcess first = JarProcess.start(work, args);
        waitForProgress(first);
        first.kill();
        assertThat(redis.commands().sismember(AppliedMigrations.REDIS_OM_APPLIED_SET,
                DatetimeFieldsToTimestamps.ID)).isFalse();

        Finished second = JarProcess.run(work, args);
        assertThat(second.exitCode()).as(second.stdout()).isZero();
        assertThat(second.stdout()).contains("was left STARTED").contains("resuming job instance");
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN))).isZero();

        Finished third = JarProcess.run(work, args);
        assertThat(third.exitCode()).isZero();
        assertThat(third.stdout()).contains("nothing pending");
    }

    private static void waitForProgress(JarProcess process) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            if (process.stdout().matches("(?s).*walked, [1-9][\\d,]* read.*")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no progress before the kill:\n" + process.stdout());
    }
}
