package dev.redisombatch.batch.remote;

import static dev.redisombatch.batch.remote.RemoteProcesses.says;
import static dev.redisombatch.batch.remote.RemoteProcesses.waitFor;
import static dev.redisombatch.batch.remote.RemoteProcesses.waitForAPartitionToComplete;
import static dev.redisombatch.batch.support.Users.withIsoCreatedAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.PostgresServer;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
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

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    /** Another server, which a worker started with the wrong --redis.url reaches. */
    @RegisterExtension
    static final RedisServer other = new RedisServer();

    @TempDir
    Path work;

    private RemoteProcesses run;

    /** A job repository of its own for each test: a new schema in the shared database. */
    @BeforeEach
    void freshRepositoryAndRedis() throws Exception {
        redis.commands().flushall();
        run = new RemoteProcesses(work, redis, postgres);
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        run.close();
    }

    private static final Pattern PAGES_READ = Pattern.compile("walked, [1-9][\\d,]* read");

    private static boolean hasRead(JarProcess worker) {
        try {
            return PAGES_READ.matcher(worker.output()).find();
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aManagerAndThreeWorkersConvertEveryUserAndAKilledWorkersPartitionIsTakenOver() throws Exception {
        Users.load(redis, 500_000);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        JarProcess doomed = run.worker("--threads=1");
        // Idle long enough for the manager's JVM to start and send its partitions on a loaded machine.
        JarProcess second = run.worker("--threads=1", "--worker.idle-exit=15s");
        JarProcess third = run.worker("--threads=1", "--worker.idle-exit=15s");
        JarProcess manager = run.manager();

        // Killed once it has a partition in hand and has written part of it (a progress line with pages read: the
        // partition is STARTED by then, whatever the machine's load).
        waitFor("the first worker to write part of a partition", () -> hasRead(doomed));
        doomed.kill();
        JarProcess.Finished managed = manager.waitFor();
        second.waitFor();
        third.waitFor();

        String workers = second.output() + third.output();
        assertThat(managed.exitCode()).as(managed.output()).isZero();
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        assertThat(run.changedInRecord()).as("exact, over the kill").isEqualTo(withIsoCreatedAt(before));
        assertThat(workers)
                .as("the dead worker's partition, taken over")
                .contains("left STARTED by a worker" + " that died");
        assertThat(workers).contains("partition(s) completed");
        assertThat(managed.output())
                .as("the workers' progress combined on the manager, from their checkpoints")
                .containsPattern(
                        "\\d+\\.\\d% walked, [1-9][\\d,]* read, [\\d,]+ changed, \\d+ skipped, [\\d,]+ keys/s.*; \\d+ of \\d+"
                                + " partitions complete");
    }

    @Test
    void aKilledManagerIsResumedByTheSameCommandAndTheWorkersGoOn() throws Exception {
        Users.load(redis, 200_000);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        run.worker("--threads=1");
        run.worker("--threads=1");
        JarProcess manager = run.manager();
        waitForAPartitionToComplete(manager);
        manager.kill();

        JarProcess.Finished resumed = run.runManager();

        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("recovering it").contains("resuming job instance");
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        assertThat(run.changedInRecord()).as("exact, over the kill").isEqualTo(withIsoCreatedAt(before));
    }

    @Test
    void aSecondManagerIsRefusedByTheLockAndRemoteModeNeedsPostgresAndNoDryRun() throws Exception {
        Users.load(redis, 10_000);
        JarProcess first = run.manager();
        waitFor("the first manager to send its partitions", () -> says(first, "waiting in the queue"));

        JarProcess.Finished second = run.runManager();
        JarProcess.Finished onH2 = JarProcess.run(
                work,
                "--job=worker",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("h2"));
        JarProcess.Finished dry = run.runManager("--dry-run");
        run.worker("--worker.idle-exit=3s");
        JarProcess.Finished done = first.waitFor();

        assertThat(second.exitCode()).as(second.output()).isEqualTo(5);
        assertThat(second.stderr()).contains("redis-om-batch:lock");
        assertThat(onH2.exitCode()).as(onH2.output()).isEqualTo(2);
        assertThat(onH2.stderr()).contains("PostgreSQL").doesNotContain("\tat ");
        assertThat(dry.exitCode()).as(dry.output()).isEqualTo(2);
        assertThat(dry.stderr()).contains("--workers");
        assertThat(done.exitCode()).as(done.output()).isZero();
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), RemoteProcesses.ID))
                .isTrue();
    }

    @Test
    void aWorkerOnAnotherRedisTakesNoPartitionOfTheRunAndWritesNothingThere() throws Exception {
        Users.load(redis, 20_000);
        other.commands().flushall();
        Users.load(other, 5_000);
        Map<String, Map<String, String>> otherBefore = Users.snapshot(other, Users.PATTERN);
        JarProcess misplaced = run.worker("--redis.url=" + other.url(), "--worker.idle-exit=5s");

        JarProcess.Finished managed = run.runManager("--worker.stall-timeout=20s");
        misplaced.waitFor();

        assertThat(managed.exitCode()).as(managed.output()).isNotZero();
        assertThat(managed.stderr()).contains("holds other data than the run's Redis");
        assertThat(misplaced.output()).contains("holds other data than the run's Redis");
        assertThat(Users.snapshot(other, Users.PATTERN))
                .as("the other Redis, untouched")
                .isEqualTo(otherBefore);
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), RemoteProcesses.ID))
                .isFalse();
    }

    /**
     * A copy with remote workers: the manager copies on its own threads, the workers (given the target as their
     * --redis.url) run the migration's partitions there; the source is only read.
     */
    @Test
    void aCopysMigrationRunsOnWorkersGivenTheTarget() throws Exception {
        other.commands().flushall();
        Users.load(other, 20_000);
        Map<String, Map<String, String>> sourceBefore = Users.snapshot(other, Users.PATTERN);
        JarProcess first = run.worker("--threads=1", "--worker.idle-exit=5s");
        JarProcess second = run.worker("--threads=1", "--worker.idle-exit=5s");

        JarProcess.Finished managed =
                run.runManager("--redis.url=" + other.url(), "--target.url=" + redis.url(), "--partitions=8");
        String workers = first.waitFor().output() + second.waitFor().output();

        assertThat(managed.exitCode()).as(managed.output()).isZero();
        assertThat(managed.output())
                .contains("copy of 127.0.0.1:" + other.port())
                .contains(": complete;");
        assertThat(Users.wronglyMigrated(sourceBefore, Users.snapshot(redis, Users.PATTERN)))
                .as("users not converted on the target")
                .isZero();
        assertThat(Users.snapshot(other, Users.PATTERN))
                .as("the source, as it was")
                .isEqualTo(sourceBefore);
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), RemoteProcesses.ID))
                .isTrue();
    }
}
