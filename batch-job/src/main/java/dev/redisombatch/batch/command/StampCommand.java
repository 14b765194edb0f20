package dev.redisombatch.batch.command;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.plan.AppliedRecord;
import dev.redisombatch.batch.results.Results;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.migration.DataMigration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code stamp}: marks migrations applied without running them, to adopt a deployment whose data is already in
 * shape (a baseline, like Flyway's). The record says {@code how=stamped}; like an apply, it starts a new generation.
 */
final class StampCommand {

    private static final Logger log = LoggerFactory.getLogger(StampCommand.class);

    private final Configuration configuration;
    private final Resources resources;

    StampCommand(Configuration configuration, Resources resources) {
        this.configuration = configuration;
        this.resources = resources;
    }

    /** @param id the migration to stamp; null for every pending one */
    Results.Stamp run(String id) {
        AppliedState applied = new AppliedState(resources.redis(), MigrationKind.DATA);
        KnownMigrations migrations = KnownMigrations.read(configuration.plan(), configuration.datetime(), applied);
        List<DataMigration> toStamp = new ArrayList<>();
        List<String> alreadyApplied = new ArrayList<>();
        if (id == null) {
            toStamp.addAll(migrations.pending());
        } else {
            DataMigration migration = migrations.known().get(id);
            if (migration == null) {
                throw RedisOmBatchException.configuration(
                        "--migration=" + id + ": no such migration on the classpath or in --migrations.jars");
            }
            if (migrations.applied().contains(id)) {
                alreadyApplied.add(id);
            } else {
                toStamp.add(migration);
            }
        }
        List<String> stamped = new ArrayList<>();
        for (DataMigration migration : toStamp) {
            applied.markApplied(
                    migration.id(),
                    AppliedRecord.stamped(migration, applied.generation(migration.id()) + 1)
                            .asFields());
            log.info("{}: stamped as applied (nothing was run)", migration.id());
            stamped.add(migration.id());
        }
        return new Results.Stamp(stamped, alreadyApplied);
    }
}
