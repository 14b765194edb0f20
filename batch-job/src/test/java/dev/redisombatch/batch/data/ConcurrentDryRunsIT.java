package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.JarProcess.Finished;
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
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dry runs take no lock, and with a job repository on a database server (H2's file admits one process) two of the same
 * migration share one job instance. The second must neither recover nor abandon the first while it walks: refused
 * with exit 5, naming the first's process. A dry run that was killed is taken over at once on its own host.
 */
class ConcurrentDryRunsIT {

    private static final int USERS = 150_000;
    private static final String ID = DatetimeFieldsToTimestamps.ID;

    @RegisterExtension
    static final PostgresServer postgres = new PostgresServer();

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    @Test
    void aSecondDryRunWaitsForTheFirstWhileItLivesAndTakesOverAKilledOneAtOnce() throws Exception {
        redis.commands().flushall();
        Users.load(redis, USERS);
        Map<String, Map<String, String>> users = Users.snapshot(redis, Users.PATTERN);
        long toChange = users.values().stream()
                .map(user -> user.get("created_at"))
                .filter(value ->
                        value != null && !value.isBlank() && !value.trim().matches("-?\\d+(\\.\\d+)?"))
                .count();
        String repository = freshSchema();

        JarProcess first = JarProcess.start(work, dryRun(repository));
        waitForProgress(first);
        // Frozen, not gone: however long its page takes, its process is alive, and that is what the second asks.
        signal(first, "STOP");
        Finished second;
        try {
            second = JarProcess.run(work, dryRun(repository));
        } finally {
            signal(first, "CONT");
        }
        assertThat(second.exitCode()).as(second.output()).isEqualTo(5);
        assertThat(second.stderr())
                .containsPattern(ID + ": execution \\d+ of the same dry run is still running in migrateData pid "
                        + first.pid() + " on \\S+ \\(process table \\S+\\) since \\S+; wait for it to finish");
        assertThat(second.stdout()).doesNotContain("dry run complete");

        Finished firstDone = first.waitFor();
        assertThat(firstDone.exitCode()).as(firstDone.output()).isZero();
        assertThat(firstDone.stdout())
                .contains(ID + ": dry run complete (execution ")
                .contains("): " + USERS + " read, " + toChange + " would change, " + (USERS - toChange)
                        + " unchanged, 0 skipped");
        assertThat(firstDone.stderr())
                .containsPattern("walked, [\\d,]+ read, [\\d,]+ would change, ")
                .doesNotContain(" changed, ");

        JarProcess killed = JarProcess.start(work, dryRun(repository));
        waitForProgress(killed);
        killed.kill();
        Finished third = JarProcess.run(work, dryRun(repository));
        assertThat(third.exitCode()).as(third.output()).isZero();
        assertThat(third.stdout())
                .contains("): " + USERS + " read, " + toChange + " would change, " + (USERS - toChange)
                        + " unchanged, 0 skipped");
        // Nothing written by any of them: every user as it was.
        assertThat(Users.snapshot(redis, Users.PATTERN)).isEqualTo(users);
    }

    /** One thread, pages of 100 keys: a walk of several seconds, with a progress line each second. */
    private String[] dryRun(String repository) {
        return new String[] {
            "--job=migrateData",
            "--dry-run",
            "--redis.url=" + redis.url(),
            "--job-repository.url=" + repository,
            "--job-repository.username=" + postgres.username(),
            "--job-repository.password=" + postgres.password(),
            "--datetime.keys=" + Users.PATTERN,
            "--datetime.fields=created_at",
            "--threads=1",
            "--partitions=8",
            "--chunk-size=100",
            "--scan-count=100",
            "--progress.interval=1"
        };
    }

    private String freshSchema() throws Exception {
        String schema = "dryruns" + System.nanoTime();
        try (Connection connection =
                        DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return postgres.jdbcUrl() + "?currentSchema=" + schema;
    }

    private static final Pattern PROGRESS = Pattern.compile("walked, [1-9][\\d,]* read");

    private static void waitForProgress(JarProcess process) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            if (PROGRESS.matcher(process.output()).find()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no progress:\n" + process.output());
    }

    private static void signal(JarProcess process, String signal) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(process.pid())));
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
    }
}
