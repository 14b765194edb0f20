package dev.redisombatch.batch.remote;

import static dev.redisombatch.batch.remote.RemoteProcesses.waitFor;
import static dev.redisombatch.batch.remote.RemoteProcesses.waitForAPartitionToComplete;
import static dev.redisombatch.batch.support.Users.withIsoCreatedAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.PostgresServer;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job repository blinks: PostgreSQL stopped under idle workers, under a run, before a manager starts, and a
 * manager left without workers. Packaged-jar processes on a real PostgreSQL and redis-server, as an operator runs
 * them; every user is checked and the changed count must be exact.
 */
class JobRepositoryOutageIT {

    /** How long PostgreSQL stays down: longer than the connection pool's 10 s wait for a connection. */
    private static final long OUTAGE_MILLIS = 20_000;

    private static final String WORKER_WAITS = "worker: the job repository cannot be reached";
    private static final String WORKER_BACK = "worker: the job repository answers again";
    private static final String STACK_TRACE_LINE = "\tat ";

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    private RemoteProcesses run;

    @BeforeEach
    void freshRepositoryAndRedis() throws Exception {
        redis.commands().flushall();
        run = new RemoteProcesses(work, redis, postgres);
    }

    @AfterEach
    void killLeftoversAndRestartPostgres() throws Exception {
        run.close();
        if (!postgres.isRunning()) {
            postgres.start();
        }
    }

    @Test
    void idleWorkersWaitOutAStoppedDatabaseAndThenRunTheManagersPartitions() throws Exception {
        Users.load(redis, 50_000);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        List<JarProcess> workers = List.of(run.worker("--threads=1"), run.worker("--threads=1"));
        for (JarProcess worker : workers) {
            waitFor(worker, "worker: taking partitions");
        }

        postgres.stop();
        Thread.sleep(OUTAGE_MILLIS);
        for (JarProcess worker : workers) {
            waitFor(worker, WORKER_WAITS);
        }
        postgres.start();
        JarProcess.Finished managed = run.manager().waitFor();

        assertThat(managed.exitCode()).as(managed.output()).isZero();
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        assertThat(run.changedInRecord()).isEqualTo(withIsoCreatedAt(before));
        for (JarProcess worker : workers) {
            String output = worker.output();
            assertThat(worker.isAlive()).as(output).isTrue();
            assertThat(output).contains(WORKER_BACK).doesNotContain(STACK_TRACE_LINE);
            assertThat(output.split(WORKER_WAITS, -1))
                    .as("one WARN line per outage")
                    .hasSize(2);
        }
        assertThat(managed.output()).doesNotContain(STACK_TRACE_LINE);
    }

    @Test
    void aDatabaseStoppedMidRunIsWaitedOutAndTheRunCompletes() throws Exception {
        Users.load(redis, 50_000);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        List<JarProcess> workers = List.of(run.worker("--threads=1"), run.worker("--threads=1"));
        // Small pages keep the run going for tens of seconds, so the database stops in its middle; on a quiet
        // machine several partitions complete between two progress lines, so any count from 1 up will do.
        JarProcess manager = run.manager("--chunk-size=10", "--scan-count=10");
        waitForAPartitionToComplete(manager);

        postgres.stop();
        Thread.sleep(OUTAGE_MILLIS);
        waitFor(manager, "manager: the job repository cannot be reached");
        postgres.start();
        JarProcess.Finished managed = manager.waitFor();
        // Exit 1 is allowed (a partition whose end could not be recorded), but then the same command completes it.
        JarProcess.Finished completed = managed.exitCode() == 1 ? run.runManager() : managed;

        assertThat(managed.exitCode()).as(managed.output()).isIn(0, 1);
        assertThat(completed.exitCode()).as(completed.output()).isZero();
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        assertThat(run.changedInRecord()).as("exact, over the outage").isEqualTo(withIsoCreatedAt(before));
        assertThat(managed.output())
                .contains("manager: the job repository answers again")
                .doesNotContain(STACK_TRACE_LINE);
        assertThat(completed.output()).doesNotContain(STACK_TRACE_LINE);
        for (JarProcess worker : workers) {
            assertThat(worker.isAlive()).as(worker.output()).isTrue();
            assertThat(worker.output()).contains(WORKER_BACK).doesNotContain(STACK_TRACE_LINE);
        }
    }

    @Test
    void aManagerStartedWhileTheDatabaseIsDownExitsOneAndRealConfigurationErrorsTwo() throws Exception {
        Users.load(redis, 1_000);
        postgres.stop();
        JarProcess.Finished down = run.runManager("--job-repository.outage-timeout=3s");
        postgres.start();
        JarProcess.Finished wrongPassword = JarProcess.run(
                work,
                "--job=status",
                "--redis.url=" + redis.url(),
                "--job-repository.url=" + postgres.jdbcUrl(),
                "--job-repository.username=" + postgres.username(),
                "--job-repository.password=not-the-password");
        JarProcess.Finished noSuchDatabase = JarProcess.run(
                work,
                "--job=status",
                "--redis.url=" + redis.url(),
                "--job-repository.url=" + postgres.jdbcUrl() + "_missing",
                "--job-repository.username=" + postgres.username(),
                "--job-repository.password=" + postgres.password());

        assertThat(down.exitCode()).as(down.output()).isEqualTo(1);
        assertThat(down.stderr())
                .contains("job repository")
                .contains("run the same command again")
                .doesNotContain(STACK_TRACE_LINE)
                .doesNotContain(postgres.password());
        assertThat(down.stderr().lines().filter(line -> line.startsWith("redis-om-batch:")))
                .hasSize(1);
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), RemoteProcesses.ID))
                .isFalse();
        assertThat(wrongPassword.exitCode()).as(wrongPassword.output()).isEqualTo(2);
        assertThat(wrongPassword.stderr())
                .contains("--job-repository.password")
                .doesNotContain(STACK_TRACE_LINE)
                .doesNotContain("not-the-password");
        assertThat(noSuchDatabase.exitCode()).as(noSuchDatabase.output()).isEqualTo(2);
        assertThat(noSuchDatabase.stderr()).contains("no such database").doesNotContain(STACK_TRACE_LINE);
    }

    @Test
    void aManagerWithoutWorkersStopsAfterTheStallTimeoutAndTheSameCommandThenCompletes() throws Exception {
        Users.load(redis, 20_000);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);

        JarProcess.Finished alone = run.runManager("--worker.stall-timeout=3s");
        run.worker();
        JarProcess.Finished resumed = run.runManager();

        assertThat(alone.exitCode()).as(alone.output()).isEqualTo(1);
        assertThat(alone.stderr())
                .contains("no partition was taken by a worker")
                .contains("--job=worker")
                .doesNotContain(STACK_TRACE_LINE);
        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("recovering");
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        assertThat(run.changedInRecord()).isEqualTo(withIsoCreatedAt(before));
    }
}
