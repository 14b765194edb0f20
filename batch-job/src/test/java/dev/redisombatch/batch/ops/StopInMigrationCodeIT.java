package dev.redisombatch.batch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.LoopingMigration;
import dev.redisombatch.batch.support.MigrationJars;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while a run cannot reach a page boundary, on the packaged jar: it is ended (exit 6) saying truly what held
 * it, and its lock is released rather than left for its TTL, or, where Redis does not answer, said not to be. (Seen
 * before: exit 6 blaming "a Redis call", the lock kept the next run out, and "its lock released" under CLIENT PAUSE
 * WRITE.)
 */
class StopInMigrationCodeIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    @Test
    void aStopThatCannotReachAPageBoundaryNamesTheMigrationCodeAndReleasesTheLock() throws Exception {
        assertThat(LoopingMigration.PATTERN).isEqualTo(Users.PATTERN);
        redis.commands().flushall();
        Users.load(redis, 2000);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);

        JarProcess run = startedInEndlessUp();
        run.terminate();
        JarProcess.Finished stopped = run.waitFor();

        System.out.println("SIGTERM in a migration's endless up(): exit " + stopped.exitCode() + ", "
                + stopped.stderr()
                        .lines()
                        .filter(line -> line.startsWith("redis-om-batch: "))
                        .findFirst()
                        .orElse(""));
        assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(6);
        assertThat(stopped.stderr())
                .contains("the migration's own code had not returned: " + LoopingMigration.ID + " on key "
                        + ":app.models.User:")
                .doesNotContain("a Redis call")
                .doesNotContain("\tat ");
        assertThat(redis.commands().exists(RunLease.KEY))
                .as("the lock released")
                .isZero();
        assertThat(Users.snapshot(redis, Users.PATTERN)).as("nothing written").isEqualTo(before);
        assertThat(redis.commands().sismember("redis_om:applied_migrations", LoopingMigration.ID))
                .isFalse();
    }

    /** The same stop with Redis holding writes: the release cannot be made, and the run says so instead. */
    @Test
    void aStopWhileRedisHoldsWritesSaysTheLockWasNotReleased() throws Exception {
        redis.commands().flushall();
        Users.load(redis, 2000);
        JarProcess run = startedInEndlessUp();
        // Writes held, scripts included (the lock's release is one); reads, the checks below and the unpause go on.
        redis.pauseWrites(Duration.ofMinutes(2));
        try {
            run.terminate();
            JarProcess.Finished stopped = run.waitFor();

            assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(6);
            assertThat(stopped.stderr())
                    .contains("the migration's own code had not returned")
                    .contains("its lock was not released within 2 s (Redis did not answer)")
                    .doesNotContain("lock released")
                    .doesNotContain("\tat ");
        } finally {
            redis.search("CLIENT", "UNPAUSE");
        }
        assertThat(redis.commands().ttl(RunLease.KEY))
                .as("the lock, not released, expires by itself")
                .isPositive();
    }

    /** The packaged jar running the looping migration, once its {@code up()} has started. */
    private JarProcess startedInEndlessUp() throws Exception {
        Path jar = MigrationJars.of(work.resolve("migrations/looping.jar"), LoopingMigration.class);
        // A long lock TTL: a lock not released would still be there long after the process ended.
        JarProcess run = JarProcess.start(
                work,
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--migrations.jars=" + jar,
                "--lock.ttl=600");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!run.output().contains(LoopingMigration.STARTED) && run.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(run.output()).as("the migration's up() started").contains(LoopingMigration.STARTED);
        return run;
    }
}
