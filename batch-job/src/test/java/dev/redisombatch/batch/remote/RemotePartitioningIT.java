package dev.redisombatch.batch.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.PostgresServer;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote partitioning with the packaged jar as separate processes: a manager ({@code --workers=remote}) and worker
 * JVMs ({@code --job=worker}) on a real PostgreSQL job repository and a real redis-server. Every user is checked
 * against an independent conversion, and the changed count must be exact, whatever was killed.
 */
class RemotePartitioningIT {

    private static final String ID = DatetimeFieldsToTimestamps.ID;
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    private final List<JarProcess> processes = new ArrayList<>();
    private String repository;

    /** A job repository of its own for each test: a new schema in the shared database. */
    @BeforeEach
    void freshRepositoryAndRedis() throws Exception {
        redis.commands().flushall();
        String schema = "remote" + SCHEMAS.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(),
                postgres.password()); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        repository = postgres.jdbcUrl() + "?currentSchema=" + schema;
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (JarProcess process : processes) {
            if (process.isAlive()) {
                process.kill();
            }
        }
    }

    private List<String> common(String... extra) {
        List<String> args = new ArrayList<>(List.of("--redis.url=" + redis.url(),
                "--job-repository.url=" + repository, "--job-repository.username=" + postgres.username(),
                "--job-repository.password=" + postgres.password(), "--progress.interval=1"));
        args.addAll(List.of(extra));
        return args;
    }

    private JarProcess start(String... args) throws Exception {
        JarProcess process = JarProcess.start(work, common(args).toArray(String[]::new));
        processes.add(process);
        return process;
    }

    private JarProcess worker(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--job=worker", "--worker.poll-interval=200ms"));
        args.addAll(List.of(extra));
        return start(args.toArray(String[]::new));
    }

    private JarProcess manager() throws Exception {
        return start("--job=migrateData", "--workers=remote", "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at");
    }

    private long changedInRecord() {
        String changed = redis.commands().hget(MigrationKind.DATA.recordKey(ID), "changed");
        return changed == null ? -1 : Long.parseLong(changed);
    }

    private static long withIsoCreatedAt(Map<String, Map<String, String>> users) {
        return users.values().stream().map(user -> user.get("created_at"))
                .filter(value -> value != null && !value.isBlank() && !value.trim().matches("-?\\d+(\\.\\d+)?"))
                .count();
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static boolean says(JarProcess process, String text) {
        try {
            return process.output().contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aManagerAndThreeWorkersConvertEveryUserAndAKilledWorkersPartitionIsTakenOver() throws Exception {
        Users.load(redis, 500_000);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        JarProcess doomed = worker("--threads=1");
        JarProcess second = worker("--threads=1", "--worker.idle-exit=5s");
        JarProcess third = worker("--threads=1", "--worker.idle-exit=5s");
        JarProcess manager = manager();

        // Killed once it has a partition in hand and has written part of it.
        waitFor("the first worker to run a partition", () -> says(doomed, "worker: running"));
        Thread.sleep(1500);
        doomed.kill();
        JarProcess.Finished managed = manager.waitFor();
        second.waitFor();
        third.waitFor();

        String workers = second.output() + third.output();
        assertThat(managed.exitCode()).as(managed.output()).isZero();
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN))).isZero();
        assertThat(changedInRecord()).as("exact, over the kill").isEqualTo(withIsoCreatedAt(before));
        assertThat(workers).as("the dead worker's partition, taken over").contains("left STARTED by a worker"
                + " that died");
        assertThat(workers).contains("partition(s) completed");
    }

    @Test
    void aKilledManagerIsResumedByTheSameCommandAndTheWorkersGoOn() throws Exception {
        Users.load(redis, 200_000);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        worker("--threads=1");
        worker("--threads=1");
        JarProcess manager = manager();
        waitFor("a partition to complete", () -> says(manager, "1 of") || says(manager, "2 of")
                || says(manager, "3 of"));
        manager.kill();

        JarProcess.Finished resumed = JarProcess.run(work, common("--job=migrateData", "--workers=remote",
                "--datetime.keys=" + Users.PATTERN, "--datetime.fields=created_at").toArray(String[]::new));

        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("recovering it").contains("resuming job instance");
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN))).isZero();
        assertThat(changedInRecord()).as("exact, over the kill").isEqualTo(withIsoCreatedAt(before));
    }

    @Test
    void aSecondManagerIsRefusedByTheLockAndRemoteModeNeedsPostgresAndNoDryRun() throws Exception {
        Users.load(redis, 10_000);
        JarProcess first = manager();
        waitFor("the first manager to send its partitions", () -> says(first, "waiting in the queue"));

        JarProcess.Finished second = JarProcess.run(work, common("--job=migrateData", "--workers=remote",
                "--datetime.keys=" + Users.PATTERN, "--datetime.fields=created_at").toArray(String[]::new));
        JarProcess.Finished onH2 = JarProcess.run(work, "--job=worker", "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("h2"));
        JarProcess.Finished dry = JarProcess.run(work, common("--job=migrateData", "--workers=remote", "--dry-run",
                "--datetime.keys=" + Users.PATTERN, "--datetime.fields=created_at").toArray(String[]::new));
        worker("--worker.idle-exit=3s");
        JarProcess.Finished done = first.waitFor();

        assertThat(second.exitCode()).as(second.output()).isEqualTo(5);
        assertThat(second.stderr()).contains("redis-om-batch:lock");
        assertThat(onH2.exitCode()).as(onH2.output()).isEqualTo(2);
        assertThat(onH2.stderr()).contains("PostgreSQL").doesNotContain("\tat ");
        assertThat(dry.exitCode()).as(dry.output()).isEqualTo(2);
        assertThat(dry.stderr()).contains("--workers");
        assertThat(done.exitCode()).as(done.output()).isZero();
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), ID)).isTrue();
    }
}
