package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.ops.RunLease;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.JarProcess.Finished;
import dev.redisombatch.batch.support.JobRepositoryQueries;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packaged jar as a separate process: exit codes, one-line errors, and recovery after kill -9. */
class CommandLineIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    private String[] migrateArgs(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at",
                "--datetime.zone=UTC"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** A pipe on standard input is no terminal: the run never asks, whatever the pipe says. */
    @Test
    void migrateDataWithStdinFromAPipeNeverAsks() throws Exception {
        redis.commands().flushall();
        Users.load(redis, 500);

        Finished run = JarProcess.start(work, migrateArgs()).input("n\n").waitFor();

        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).doesNotContain("Run these migrations?").doesNotContain("[y/N]");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet()))
                .containsExactly(DatetimeFieldsToTimestamps.ID);
    }

    /**
     * Standard error here is a file, never a terminal: progress is the log lines it has always been, with no bar and
     * no terminal control characters, even with a TERM that could draw one.
     */
    @Test
    void withoutATerminalProgressIsTheLogLinesAndNoBar() throws Exception {
        loadUsers();

        Finished run = JarProcess.start(work, Map.of("TERM", "xterm-256color"), slowMigrateArgs())
                .waitFor();

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.stderr()).doesNotContain("\r").doesNotContain("\u001b").doesNotContain("[#");
        assertThat(run.stderr())
                .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  " + DatetimeFieldsToTimestamps.ID
                        + ": \\d+\\.\\d% walked, [\\d,]+ read, [\\d,]+ changed, [\\d,]+ skipped, [\\d,]+ keys/s"
                        + "(, about \\d+s left)?$");
    }

    /** --progress.display=bar draws the bar wherever standard error goes, and ends it with a newline. */
    @Test
    void aBarAskedForIsOneLineRedrawnInPlaceInsteadOfTheLogLines() throws Exception {
        redis.commands().flushall();
        Users.load(redis, 500);

        // A width of its own: the bar is left out on a narrow terminal, and a developer's stty would say theirs.
        Finished run = JarProcess.start(
                        work, Map.of("COLUMNS", "200"), migrateArgs("--progress.display=bar", "--progress.interval=1"))
                .waitFor();

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.stderr())
                .containsPattern("\\r" + DatetimeFieldsToTimestamps.ID
                        + " \\[#{20}] 100\\.0%  [5-9]\\d\\d read  [\\d,]+ keys/s  ETA --\\u001b\\[K\\R")
                .doesNotContain("walked,");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--nope=1           | --nope",
                "--partitions=6     | --partitions",
                "--chunk-size=-5    | --chunk-size",
                "--redis.url=redis://:99999999 | --redis.url",
                "--job-repository.url=h2:file:x | --job-repository.url",
                "--failure-mode=explode | --failure-mode"
            })
    void badInputIsOneLineNamingTheOptionAndExitCode2(String option, String culprit) throws Exception {
        Finished run = JarProcess.run(work, "--job=migrateData", option);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().strip().lines()).hasSize(1);
        assertThat(run.stderr()).contains(culprit);
        assertThat(work.resolve("redis-om-batch-repository")).doesNotExist();
    }

    @Test
    void schemaMigrationsOnARedisWithoutSearchModuleAreOneClearLineAndExitCode2() throws Exception {
        Path folder = Files.createDirectories(work.resolve("migrations/schema-migrations"));
        Files.writeString(folder.resolve("20261101_000000_users.yaml"), """
                id: 20261101_000000_users
                index: users
                new:
                  on: HASH
                  fields:
                    - {name: email, type: TAG}
                """);

        Finished run = JarProcess.run(
                work,
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("redis-om-batch: this Redis (127.0.0.1:" + redis.port()
                        + "/0) has no search module: FT.* commands are unknown")
                .doesNotContain("\tat ");
        assertThat(redis.commands().exists("users:hash", "users:schema", MigrationKind.SCHEMA.appliedSet()))
                .as("nothing recorded")
                .isZero();
    }

    @Test
    void customerDemoDataOnARedisWithoutJsonIsOneLineSayingWhatIsNeededAndExitCode2() throws Exception {
        redis.commands().flushall();
        Finished run = JarProcess.run(
                work, "--job=generateDemoData", "--model=customer", "--count=10", "--redis.url=" + redis.url());

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.stderr().strip().lines()).hasSize(1);
        assertThat(run.stderr())
                .contains("--model=customer")
                .contains("does not know JSON.SET")
                .contains("RedisJSON");
        assertThat(redis.commands().dbsize()).as("nothing written").isZero();
    }

    @Test
    void anUnreachableRedisIsAClearErrorWithTheResumableExitCode() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Finished run = JarProcess.run(
                work,
                "--job=migrateData",
                "--redis.url=redis://127.0.0.1:" + closedPort,
                "--redis.retries=1",
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr())
                .contains("127.0.0.1:" + closedPort)
                .contains("Connection refused")
                .contains("Check that Redis is up");
    }

    @Test
    void aRunKilledWithSigkillLeavesALockThatExpiresThenTheSameCommandResumes() throws Exception {
        Map<String, Map<String, String>> before = loadUsers();
        String[] args = slowMigrateArgs("--lock.ttl=5");

        long firstStarted = System.currentTimeMillis();
        JarProcess first = JarProcess.start(work, args);
        waitForProgress(first);
        first.kill();
        long killed = System.currentTimeMillis();
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), DatetimeFieldsToTimestamps.ID))
                .isFalse();
        assertThat(redis.commands().get(RunLease.KEY)).startsWith("migrateData pid");
        long deadline = System.currentTimeMillis() + 10_000;
        while (redis.commands().exists(RunLease.KEY) == 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(redis.commands().exists(RunLease.KEY))
                .as("the killed run's lock expires by itself")
                .isZero();

        long secondStarted = System.currentTimeMillis();
        Finished second = JarProcess.run(work, args);
        long secondEnded = System.currentTimeMillis();
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("was left STARTED").contains("resuming job instance");
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        // The counts add up across the kill: the pages the killed run wrote but did not commit are in the exact
        // changed count, read once (by this run), and not counted unchanged as well.
        Map<String, Long> record =
                redis
                        .commands()
                        .hgetall(MigrationKind.DATA.recordKey(DatetimeFieldsToTimestamps.ID))
                        .entrySet()
                        .stream()
                        .filter(field -> field.getValue().matches("\\d+"))
                        .collect(Collectors.toMap(Map.Entry::getKey, field -> Long.parseLong(field.getValue())));
        assertThat(record.get("changed") + record.get("unchanged") + record.get("skipped") + record.get("gone"))
                .isEqualTo(record.get("keys_read"));
        assertThat(record.get("keys_read")).isBetween((long) before.size(), before.size() + 3_000L);
        // The time the killed run lay dead (until its lock expired) is not in the duration: it ended when last seen.
        assertThat(record.get("duration_ms"))
                .isPositive()
                .isLessThanOrEqualTo((killed - firstStarted) + (secondEnded - secondStarted));

        Finished third = JarProcess.run(work, args);
        assertThat(third.exitCode()).isZero();
        assertThat(third.output()).contains("nothing pending");
    }

    @Test
    void aDatasetFlushedAndLoadedAgainAfterAKillIsWalkedFromTheStartNotResumed() throws Exception {
        loadUsers();
        String[] args = slowMigrateArgs();
        JarProcess first = JarProcess.start(work, args);
        // One thread walks the eight slices one after the other: past 60%, several have completed.
        waitUntilChanged(first, 90_000);
        first.kill();
        assertThat(JobRepositoryQueries.partitionExecutions("jdbc:h2:file:" + work.resolve("repo")))
                .as("slices the killed run completed")
                .anyMatch(execution -> execution.status().equals("COMPLETED"));

        // The same server (same run_id), its data flushed and loaded again: the old checkpoints describe nothing.
        Map<String, Map<String, String>> before = loadUsers();
        Finished second = JarProcess.run(work, args);

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output())
                .contains("no longer holds the data it walked")
                .doesNotContain("resuming job instance");
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        Map<String, String> record =
                redis.commands().hgetall(MigrationKind.DATA.recordKey(DatetimeFieldsToTimestamps.ID));
        // Counted by this walk alone: every user once, plus what the last SCAN call of a slice reads twice.
        assertThat(Long.parseLong(record.get("keys_read"))).isBetween(150_000L, 153_000L);
        long notYetNumeric = before.values().stream()
                .map(user -> user.get("created_at"))
                .filter(value -> value != null && !value.matches("-?\\d+(\\.\\d+)?"))
                .count();
        assertThat(Long.parseLong(record.get("changed")))
                .isEqualTo(notYetNumeric)
                .isPositive();

        Finished third = JarProcess.run(work, args);
        assertThat(third.exitCode()).isZero();
        assertThat(third.output()).contains("nothing pending");
    }

    /** Waits until the run has converted {@code documents} users, as its exact change counter in Redis says. */
    private static void waitUntilChanged(JarProcess process, long documents) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            long changed = redis.commands().hvals("redis-om-batch:changed:" + DatetimeFieldsToTimestamps.ID).stream()
                    .mapToLong(Long::parseLong)
                    .sum();
            if (changed >= documents) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the run did not convert " + documents + " users:\n" + process.output());
    }

    @Test
    void statusWorksDuringARunOnTheH2RepositoryAndShowsAnUnfinishedRunWithoutItsOptions() throws Exception {
        loadUsers();
        JarProcess run = JarProcess.start(work, slowMigrateArgs("--chunk-size=10", "--scan-count=10"));
        waitForProgress(run);
        String repository = "--job-repository.url=jdbc:h2:file:" + work.resolve("repo");

        Finished during = JarProcess.run(work, "--job=status", "--redis.url=" + redis.url(), repository);
        run.kill();

        assertThat(during.exitCode()).as(during.output()).isZero();
        assertThat(during.stdout())
                .contains("held by a run in progress (migrateData pid")
                .doesNotContain("\nnothing pending\n");
        // After the kill, without the run's --datetime.* options: the unfinished run is shown, never "nothing pending".
        Finished after = JarProcess.run(work, "--job=status", "--redis.url=" + redis.url(), repository);
        assertThat(after.exitCode()).as(after.output()).isZero();
        assertThat(after.stdout())
                .contains("unfinished data run of " + DatetimeFieldsToTimestamps.ID)
                .contains("nothing pending among the migrations loaded here, but a run is unfinished");
        Finished check = JarProcess.run(work, "--job=status", "--check", "--redis.url=" + redis.url(), repository);
        assertThat(check.exitCode()).isEqualTo(7);
    }

    @Test
    void sigtermStopsAtAChunkBoundaryWithItsOwnExitCodeAndTheSameCommandFinishes() throws Exception {
        Map<String, Map<String, String>> before = loadUsers();
        String[] args = slowMigrateArgs();

        JarProcess first = JarProcess.start(work, args);
        waitForProgress(first);
        first.terminate();
        Finished stopped = first.waitFor();
        assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(6);
        assertThat(stopped.output()).contains("stop requested").contains("checkpoint saved");
        assertThat(redis.commands().exists(RunLease.KEY)).isZero();

        Finished resumed = JarProcess.run(work, args);
        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("resuming job instance").contains("STOPPED");
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
    }

    @Test
    void aSecondRunIsRefusedAtOnceWhileTheFirstHoldsTheLock() throws Exception {
        loadUsers();
        // Small chunks keep the first run going for a minute, well past the checks below.
        String[] args = slowMigrateArgs("--chunk-size=10", "--scan-count=10");
        JarProcess first = JarProcess.start(work, args);
        waitForProgress(first);

        // The same command: the lock in Redis is the first it meets (the H2 file would refuse it next).
        Finished sameCommand = JarProcess.run(work, args);
        // Another job repository (another machine, say): the lock in Redis refuses it.
        Finished elsewhere = JarProcess.run(
                work,
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("elsewhere"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at");
        first.kill();

        assertThat(sameCommand.exitCode()).as(sameCommand.output()).isEqualTo(5);
        assertThat(sameCommand.stderr())
                .contains("another run holds the lock redis-om-batch:lock")
                .contains("migrateData pid");
        assertThat(elsewhere.exitCode()).as(elsewhere.output()).isEqualTo(5);
        assertThat(elsewhere.output())
                .contains("another run holds the lock redis-om-batch:lock")
                .contains("migrateData pid");
    }

    private Map<String, Map<String, String>> loadUsers() {
        redis.commands().flushall();
        Users.load(redis, 150_000);
        return Users.snapshot(redis, Users.PATTERN);
    }

    private String[] slowMigrateArgs(String... extra) {
        List<String> args = new ArrayList<>(List.of("--partitions=8", "--threads=1", "--progress.interval=1"));
        args.addAll(List.of(extra));
        if (args.stream().noneMatch(arg -> arg.startsWith("--chunk-size"))) {
            args.addAll(List.of("--chunk-size=100", "--scan-count=100"));
        }
        return migrateArgs(args.toArray(String[]::new));
    }

    private static void waitForProgress(JarProcess process) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            if (process.output().matches("(?s).*walked, [1-9][\\d,]* read.*")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no progress before the kill:\n" + process.output());
    }
}
