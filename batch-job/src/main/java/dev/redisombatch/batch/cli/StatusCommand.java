package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.data.ExecutionProgress;
import dev.redisombatch.batch.plan.AppliedMigrations;
import dev.redisombatch.batch.plan.MigrationPlanner;
import dev.redisombatch.migration.DataMigration;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --job=status}: applied, pending and unfinished migrations, read from Redis and from the job repository; with
 * {@code --check}, a non-zero exit when anything is pending, for a CI gate.
 */
final class StatusCommand {

    private final CommandLineOptions options;
    private final AppliedMigrations applied;
    private final ExecutionProgress executions;
    private final PrintStream out;

    StatusCommand(CommandLineOptions options, AppliedMigrations applied, ExecutionProgress executions,
            PrintStream out) {
        this.options = options;
        this.applied = applied;
        this.executions = executions;
        this.out = out;
    }

    /** One migration's state, as printed. Absent parts are null and left out of the JSON. */
    record Entry(String id, String state, Map<String, String> applied, ExecutionProgress.Unfinished unfinished,
            String description, List<String> dependencies, Boolean canRun, Boolean hasDown) {
    }

    ExitCode run(Map<String, DataMigration> known, Set<String> appliedIds) {
        List<Entry> entries = new ArrayList<>();
        Set<String> pendingIds = new TreeSet<>();
        for (DataMigration migration : MigrationPlanner.pending(known, appliedIds)) {
            pendingIds.add(migration.id());
        }
        Set<String> ids = new TreeSet<>(appliedIds);
        ids.addAll(known.keySet());
        for (String id : ids) {
            DataMigration migration = known.get(id);
            boolean isApplied = appliedIds.contains(id);
            ExecutionProgress.Unfinished unfinished = isApplied ? null : executions.unfinished(id).orElse(null);
            String state = isApplied ? "applied"
                    : unfinished != null ? unfinished.status().toLowerCase(Locale.ROOT) : "pending";
            boolean detailed = options.detailed() && migration != null;
            entries.add(new Entry(id, state, isApplied ? applied.record(id) : null, unfinished,
                    detailed ? migration.description() : null, detailed ? migration.dependencies() : null,
                    detailed ? MigrateDataCommand.canRun(migration) : null,
                    detailed ? migration.down().isPresent() : null));
        }
        if (options.json()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("redis", options.redisUri().getHost() + ":" + options.redisUri().getPort());
            document.put("migrations", entries);
            document.put("pending", pendingIds);
            out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(document));
        } else {
            entries.forEach(entry -> out.println(text(entry, known.containsKey(entry.id()))));
            out.println(pendingIds.isEmpty() ? "nothing pending" : pendingIds.size() + " pending");
        }
        return options.check() && !pendingIds.isEmpty() ? ExitCode.CHECK_FAILED : ExitCode.SUCCESS;
    }

    private static String text(Entry entry, boolean known) {
        StringBuilder line = new StringBuilder(String.format("%-8s %s", entry.state().toUpperCase(Locale.ROOT),
                entry.id()));
        if (entry.applied() != null && !entry.applied().isEmpty()) {
            Map<String, String> record = entry.applied();
            line.append(String.format("  %s at %s", record.getOrDefault("how", "applied"),
                    record.getOrDefault("applied_at", "?")));
            if (!"stamped".equals(record.get("how")) && record.containsKey("duration_ms")) {
                line.append(String.format(", %.1f s, %s read, %s changed, %s skipped",
                        Long.parseLong(record.get("duration_ms")) / 1000.0, record.get("keys_read"),
                        record.get("changed"), record.get("skipped")));
            }
        } else if (entry.applied() != null) {
            line.append("  (applied by another tool: no record of ours)");
        }
        if (entry.unfinished() != null) {
            ExecutionProgress.Unfinished run = entry.unfinished();
            line.append(String.format("  execution %d %s: %d/%d partitions complete, about %.0f%% walked; run"
                    + " migrateData again to resume", run.executionId(), run.status(), run.partitionsComplete(),
                    run.partitions(), 100 * run.fractionWalked()));
        }
        if (!known) {
            line.append("  (its code is not on the classpath)");
        }
        if (entry.description() != null) {
            line.append(String.format("%n         %s; depends on %s; canRun %s; down %s", entry.description(),
                    entry.dependencies(), entry.canRun(), entry.hasDown() ? "yes" : "no"));
        }
        return line.toString();
    }
}
