package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.plan.AppliedMigrations;
import dev.redisombatch.batch.plan.AppliedMigrations.ApplicationRecord;
import dev.redisombatch.batch.plan.MigrationPlanner;
import dev.redisombatch.migration.DataMigration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --job=stamp}: marks migrations applied without running them, to adopt a deployment whose data is already in
 * shape (a baseline, like Flyway's). The record says {@code how=stamped}.
 */
final class StampCommand {

    private static final Logger log = LoggerFactory.getLogger(StampCommand.class);

    private final CommandLineOptions options;
    private final AppliedMigrations applied;

    StampCommand(CommandLineOptions options, AppliedMigrations applied) {
        this.options = options;
        this.applied = applied;
    }

    ExitCode run(Map<String, DataMigration> known, Set<String> appliedIds) {
        List<DataMigration> toStamp;
        if (options.all()) {
            toStamp = MigrationPlanner.pending(known, appliedIds);
        } else {
            DataMigration migration = known.get(options.migration());
            if (migration == null) {
                log.error("--migration={}: no such migration on the classpath or in --migrations.jars",
                        options.migration());
                return ExitCode.USAGE;
            }
            toStamp = appliedIds.contains(migration.id()) ? List.of() : List.of(migration);
        }
        if (toStamp.isEmpty()) {
            log.info("nothing to stamp: already applied");
        }
        for (DataMigration migration : toStamp) {
            applied.markApplied(migration.id(), ApplicationRecord.stamped(Instant.now().toString(),
                    DataMigrationLauncher.ranBy(), migration));
            log.info("{}: stamped as applied (nothing was run)", migration.id());
        }
        return ExitCode.SUCCESS;
    }
}
