package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.redis.DatasetMark;
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

    /** On data no run has marked, the second would abandon the first (its checkpoints cannot be shown to be of it). */
    @Test
    void onDataNoRunMarkedASecondDryRunWaitsForTheFirstAndTakesOverAKilledOneAtOnce() throws Exception {
        dryRunsOneAfterAnother(false, "not resuming execution ");
    }

    /** On data a run has marked, the second would recover the first (mark it FAILED) and resume it alongside. */
    @Test
    void onMarkedDataASecondDryRunWaitsForTheFirstAndResumesAKilledOneAtOnce() throws Exception {
        dryRunsOneAfterAnother(true, "was left STARTED (its process was killed?); recovering it");
    }

    private void dryRunsOneAfterAnother(boolean marked, String takeOver) throws Exception {
        redis.commands().flushall();
        Users.load(redis, USERS);
        if (marked) {
            // What any run that may write leaves: the token its checkpoints are bound to.
            redis.commands().set(DatasetMark.KEY, "token-of-an-earlier-run");
        }
        Map<String, Map<String, String>> users = Users.snapshot(redis, Users.PATTERN);
        long toChange = Users.withIsoCreatedAt(users);
        String summary =
                "): " + USERS + " read, " + toChange + " would change, " + (USERS - toChange) + " unchanged, 0 skipped";
        String repository = freshSchema();

        // Its Redis timeout outlasts the freeze below, which a busy machine may make long.
        JarProcess first = JarProcess.start(work, with(dryRun(repository), "--redis.timeout=120"));
        waitForProgress(first);
        // Frozen, not gone: however long its page takes, its process is alive, and that is what the others ask.
        signal(first, "STOP");
        Finished second;
        Finished status;
        Finished repair;
        try {
            second = JarProcess.run(work, dryRun(repository));
            status = JarProcess.run(work, with(others(repository), "--job=status"));
            repair = JarProcess.run(work, with(others(repository), "--job=repair", "--abandon=true"));
        } finally {
            signal(first, "CONT");
        }
        String walking = "is still running in apply-dry-run pid " + first.pid() + " on ";
        assertThat(second.exitCode()).as(second.output()).isEqualTo(5);
        assertThat(second.stderr())
                .containsPattern(ID + ": execution \\d+ of the same dry run " + walking
                        + "\\S+ \\(process table \\S+\\) since \\S+; wait for it to finish");
        assertThat(second.stdout()).doesNotContain("dry run complete");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.stdout())
                .containsPattern("unfinished data run of " + ID + " \\(apply-dry-run, generation 0\\): execution \\d+"
                        + " STARTED since .*; it " + walking)
                .doesNotContain("the same command resumes it");
        // Left alone: its process goes on, and records its own end.
        assertThat(repair.exitCode()).as(repair.output()).isZero();
        assertThat(repair.stderr()).contains("not abandoning execution ").contains(": it " + walking);
        assertThat(repair.stdout()).contains("1 run(s) still running: --abandon leaves them alone");

        Finished firstDone = first.waitFor();
        assertThat(firstDone.exitCode()).as(firstDone.output()).isZero();
        assertThat(firstDone.stdout())
                .contains(ID + ": dry run complete (execution ")
                .contains(summary);
        assertThat(firstDone.stderr())
                .containsPattern("walked, [\\d,]+ read, [\\d,]+ would change, ")
                .doesNotContain(" changed, ");

        JarProcess killed = JarProcess.start(work, dryRun(repository));
        waitForProgress(killed);
        killed.kill();
        Finished third = JarProcess.run(work, dryRun(repository));
        assertThat(third.exitCode()).as(third.output()).isZero();
        // The killed one's execution taken over (it was walking when killed), and every document counted once.
        assertThat(third.stderr()).contains(takeOver);
        assertThat(third.stdout()).contains(summary);
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

    /** The options of the dry runs, for other jobs (status, repair). */
    private String[] others(String repository) {
        List<String> args = new ArrayList<>(List.of(dryRun(repository)));
        args.removeIf(arg -> arg.equals("--job=migrateData") || arg.equals("--dry-run"));
        return args.toArray(String[]::new);
    }

    private static String[] with(String[] args, String... extra) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
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
