package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.command.Confirmation;
import dev.redisombatch.batch.command.MigratePlan;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When {@code migrateData} asks, what it shows, and which answers let it go on. */
class MigratePromptTest {

    private static final MigratePlan PLAN = new MigratePlan(
            "redis://cache.example:6379/0",
            List.of(new MigratePlan.Pending("datetime_fields_to_timestamps", List.of(":app.models.User:*"))),
            List.of(),
            List.of("20261101_000000_users"),
            List.of(new MigratePlan.ServerKeys("cache.example:6379", 1_234_567)));

    /** Answers from a list, null once it runs out (the end of input); keeps what was shown. */
    static final class ScriptedTerminal implements Terminal {
        final StringBuilder shown = new StringBuilder();
        final Deque<String> answers;
        int questions;

        ScriptedTerminal(String... answers) {
            this.answers = new ArrayDeque<>(Arrays.asList(answers));
        }

        @Override
        public void print(String text) {
            shown.append(text);
        }

        @Override
        public String readLine(String prompt) {
            questions++;
            shown.append(prompt);
            return answers.poll();
        }
    }

    @Test
    void withoutATerminalNothingIsAsked() {
        assertThat(MigratePrompt.forRun(null, false, false)).isSameAs(Confirmation.NOT_ASKED);
    }

    @Test
    void yesAtATerminalIsNotAsked() {
        ScriptedTerminal terminal = new ScriptedTerminal("n");
        assertThat(MigratePrompt.forRun(terminal, true, false)).isSameAs(Confirmation.NOT_ASKED);
        assertThat(terminal.questions).isZero();
    }

    @Test
    void aDryRunAtATerminalIsNotAsked() {
        assertThat(MigratePrompt.forRun(new ScriptedTerminal("n"), false, true)).isSameAs(Confirmation.NOT_ASKED);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"y", "yes", "Y", " YES "})
    void yOrYesGoesOn(String answer) {
        ScriptedTerminal terminal = new ScriptedTerminal(answer);
        assertThat(MigratePrompt.forRun(terminal, false, false).proceed(PLAN)).isTrue();
        assertThat(terminal.questions).isEqualTo(1);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"n", "no", "", "yep", "sure"})
    void anythingElseStops(String answer) {
        assertThat(MigratePrompt.forRun(new ScriptedTerminal(answer), false, false)
                        .proceed(PLAN))
                .isFalse();
    }

    @Test
    void theEndOfInputStops() {
        ScriptedTerminal terminal = new ScriptedTerminal();
        assertThat(MigratePrompt.forRun(terminal, false, false).proceed(PLAN)).isFalse();
        assertThat(terminal.questions).isEqualTo(1);
    }

    @Test
    void thePlanShowsTargetMigrationsPatternsAndKeys() {
        ScriptedTerminal terminal = new ScriptedTerminal("n");
        MigratePrompt.forRun(terminal, false, false).proceed(PLAN);
        assertThat(terminal.shown.toString())
                .contains("redis://cache.example:6379/0")
                .contains("20261101_000000_users")
                .contains("datetime_fields_to_timestamps  keys :app.models.User:*")
                .contains("1,234,567")
                .endsWith(MigratePrompt.QUESTION);
    }
}
