package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.data.DataMigrationRun;
import dev.redisombatch.migration.DataMigration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --job=rollback --migration=ID}: runs the migration's {@code down} over its keys with the same partitioned,
 * restartable engine, then takes the id out of the applied set. Refused for a migration that is not applied, has no
 * {@code down}, or has applied dependants.
 */
final class RollbackCommand {

    private static final Logger log = LoggerFactory.getLogger(RollbackCommand.class);

    private final CommandLineOptions options;
    private final DataMigrationLauncher launcher;
    private final DataMigrationRun.Factory runs;

    RollbackCommand(CommandLineOptions options, DataMigrationLauncher launcher, DataMigrationRun.Factory runs) {
        this.options = options;
        this.launcher = launcher;
        this.runs = runs;
    }

    ExitCode run(Map<String, DataMigration> known, Set<String> applied) throws Exception {
        String id = options.migration();
        DataMigration migration = known.get(id);
        if (migration == null) {
            log.error("--migration={}: no such migration on the classpath or in --migrations.jars", id);
            return ExitCode.USAGE;
        }
        if (!applied.contains(id)) {
            log.error("{} is not applied: nothing to roll back", id);
            return ExitCode.PLAN;
        }
        if (migration.down().isEmpty()) {
            log.error("{} has no down transform: it cannot be rolled back", id);
            return ExitCode.PLAN;
        }
        List<String> dependants = known.values().stream()
                .filter(other -> other.dependencies().contains(id) && applied.contains(other.id()))
                .map(DataMigration::id).sorted().toList();
        if (!dependants.isEmpty()) {
            log.error("{} cannot be rolled back while applied migrations depend on it: {}; roll those back first",
                    id, dependants);
            return ExitCode.PLAN;
        }
        DataMigrationLauncher.Outcome outcome = launcher.run(migration, DataMigrationRun.Direction.ROLLBACK, runs);
        RunReport.log(id, "rolled back", options.dryRun(), outcome);
        return RunReport.exitCodeOf(outcome.execution());
    }
}
