package dev.redisombatch.batch.command;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.plan.AppliedRecord;
import dev.redisombatch.batch.results.DataMigrationOutcome;
import dev.redisombatch.batch.results.Results;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.migration.DataMigration;
import java.util.List;

/**
 * {@code rollback --migration=ID}: runs the migration's {@code down} over its keys with the same partitioned,
 * restartable engine, then takes the id out of the applied set. Refused for a migration that is unknown (exit 2),
 * not applied, has no {@code down}, or has applied dependants, or for the built-in configured by options other than
 * those it was applied with (exit 3).
 */
final class RollbackCommand {

    private final Configuration configuration;
    private final Resources resources;

    RollbackCommand(Configuration configuration, Resources resources) {
        this.configuration = configuration;
        this.resources = resources;
    }

    Results.Rollback run(String id) throws Exception {
        AppliedState applied = new AppliedState(resources.redis(), MigrationKind.DATA);
        KnownMigrations migrations = KnownMigrations.read(configuration.plan(), configuration.datetime(), applied);
        DataMigration migration = migrations.known().get(id);
        if (migration == null) {
            throw RedisOmBatchException.configuration(
                    "--migration=" + id + ": no such migration on the classpath or in --migrations.jars");
        }
        if (!migrations.applied().contains(id)) {
            throw RedisOmBatchException.plan(id + " is not applied: nothing to roll back");
        }
        if (migration.down().isEmpty()) {
            throw RedisOmBatchException.plan(id + " has no down transform: it cannot be rolled back");
        }
        if (migration instanceof DatetimeFieldsToTimestamps builtIn) {
            builtIn.notTheReverseOf(AppliedRecord.parse(applied.record(id)).configuration())
                    .ifPresent(why -> {
                        throw RedisOmBatchException.plan(id + " cannot be rolled back with these --datetime.* options: "
                                + why + "; give the options it was applied with, or none");
                    });
        }
        List<String> dependants = migrations.known().values().stream()
                .filter(other -> other.dependencies().contains(id)
                        && migrations.applied().contains(other.id()))
                .map(DataMigration::id)
                .sorted()
                .toList();
        if (!dependants.isEmpty()) {
            throw RedisOmBatchException.plan(id + " cannot be rolled back while applied migrations depend on it: "
                    + dependants + "; roll those back first");
        }
        DataMigrationOutcome outcome =
                resources.launcher(applied).run(migration, Direction.ROLLBACK, resources.dataRunContext());
        return new Results.Rollback(resources.redis().target(), outcome, outcome.failure());
    }
}
