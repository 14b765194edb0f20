package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.cli.MigratePromptTest.ScriptedTerminal;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.ops.RunLease;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrateData} at a terminal (a scripted one), against a real redis-server: {@code n} leaves everything as it
 * was, {@code y} runs, {@code --yes} and a dry run are not asked.
 */
class MigratePromptIT {

    private static final int USERS = 2_000;

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    private Map<String, Map<String, String>> before;

    @BeforeEach
    void freshData() {
        redis.commands().flushall();
        Users.load(redis, USERS);
        before = Users.snapshot(redis, Users.PATTERN);
    }

    private int migrate(ScriptedTerminal terminal, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at",
                "--datetime.zone=UTC"));
        args.addAll(List.of(extra));
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new Cli(out, out, Map.of(), terminal).run(args.toArray(String[]::new));
    }

    @Test
    void answeringNoLeavesEverythingAsItWas() {
        ScriptedTerminal terminal = new ScriptedTerminal("n");

        int exitCode = migrate(terminal);

        assertThat(exitCode).isEqualTo(Failure.DECLINED.exitCode()).isEqualTo(6);
        assertThat(terminal.questions).isEqualTo(1);
        assertThat(terminal.shown.toString())
                .contains(DatetimeFieldsToTimestamps.ID + "  keys " + Users.PATTERN)
                .contains("127.0.0.1:" + redis.port())
                .contains(String.format("%,d", USERS));
        assertThat(Users.snapshot(redis, Users.PATTERN)).isEqualTo(before);
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();
        assertThat(redis.commands().exists(RunLease.KEY)).isZero();
        assertThat(work.resolve("repo.mv.db"))
                .as("the job repository was not even opened")
                .doesNotExist();
    }

    @Test
    void answeringYesRuns() {
        ScriptedTerminal terminal = new ScriptedTerminal("y");

        assertThat(migrate(terminal)).isZero();

        assertThat(terminal.questions).isEqualTo(1);
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet()))
                .containsExactly(DatetimeFieldsToTimestamps.ID);
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
    }

    @Test
    void yesAtATerminalRunsWithoutAsking() {
        ScriptedTerminal terminal = new ScriptedTerminal("n");

        assertThat(migrate(terminal, "--yes")).isZero();

        assertThat(terminal.questions).isZero();
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet()))
                .containsExactly(DatetimeFieldsToTimestamps.ID);
    }

    @Test
    void aDryRunAtATerminalIsNotAsked() {
        ScriptedTerminal terminal = new ScriptedTerminal("n");

        assertThat(migrate(terminal, "--dry-run")).isZero();

        assertThat(terminal.questions).isZero();
        assertThat(Users.snapshot(redis, Users.PATTERN)).isEqualTo(before);
    }

    @Test
    void nothingPendingIsNotAsked() {
        assertThat(migrate(null)).isZero();
        ScriptedTerminal terminal = new ScriptedTerminal("n");

        assertThat(migrate(terminal)).isZero();

        assertThat(terminal.questions).isZero();
    }
}
