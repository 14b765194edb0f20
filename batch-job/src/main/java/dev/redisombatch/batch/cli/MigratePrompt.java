package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.command.Confirmation;
import dev.redisombatch.batch.command.MigratePlan;
import java.util.List;
import java.util.Locale;

/**
 * Redis OM's "Run migrations? (y/n)": {@code migrateData} at a terminal shows its plan and goes on only on {@code y}
 * or {@code yes}; anything else, the end of input included, ends it with nothing written (exit 6).
 */
final class MigratePrompt implements Confirmation {

    static final String QUESTION = "Run these migrations? [y/N] ";

    private final Terminal terminal;

    private MigratePrompt(Terminal terminal) {
        this.terminal = terminal;
    }

    /**
     * The one place that decides whether a run asks: only with a terminal ({@code null} when there is none), without
     * {@code --yes}, and when it may write (a dry run writes nothing). Jobs other than {@code migrateData} never ask.
     */
    static Confirmation forRun(Terminal terminal, boolean yes, boolean dryRun) {
        return terminal == null || yes || dryRun ? Confirmation.NOT_ASKED : new MigratePrompt(terminal);
    }

    @Override
    public boolean proceed(MigratePlan plan) {
        terminal.print(describe(plan));
        String answer = terminal.readLine(QUESTION);
        if (answer == null) {
            terminal.print(System.lineSeparator());
            return false;
        }
        String word = answer.strip().toLowerCase(Locale.ROOT);
        return word.equals("y") || word.equals("yes");
    }

    static String describe(MigratePlan plan) {
        StringBuilder text = new StringBuilder();
        text.append("migrateData on ").append(plan.target()).append('\n');
        list(text, "schema migrations pending", plan.schema());
        list(
                text,
                "data migrations pending",
                plan.data().stream().map(MigratePrompt::withPatterns).toList());
        list(
                text,
                "applied data migrations walked again (--rewalk)",
                plan.rewalks().stream().map(MigratePrompt::withPatterns).toList());
        text.append("  keys on the server(s), DBSIZE: ")
                .append(String.format(Locale.ROOT, "%,d", plan.estimatedKeys()))
                .append('\n');
        if (plan.servers().size() > 1) {
            plan.servers()
                    .forEach(server -> text.append("    ")
                            .append(server.address())
                            .append(": ")
                            .append(String.format(Locale.ROOT, "%,d", server.keys()))
                            .append('\n'));
        }
        return text.toString();
    }

    private static String withPatterns(MigratePlan.Pending migration) {
        return migration.id() + "  keys " + String.join(", ", migration.keyPatterns());
    }

    private static void list(StringBuilder text, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        text.append("  ").append(title).append(":\n");
        items.forEach(item -> text.append("    ").append(item).append('\n'));
    }
}
