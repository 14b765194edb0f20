package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.results.SchemaResults;
import dev.redisombatch.batch.state.Direction;
import java.util.List;
import java.util.function.Supplier;

/**
 * Gives the index of one applied schema migration its previous definition back (or drops it when the migration made
 * it); refused while a later applied migration changed the same index.
 */
public final class SchemaRollbackCommand {

    private final SchemaMigrations migrations;

    public SchemaRollbackCommand(SchemaMigrations migrations) {
        this.migrations = migrations;
    }

    /** @param batch opens the job repository, or gives the one open; not asked in a dry run */
    public SchemaResults.Run run(Supplier<BatchInfrastructure> batch, String id, boolean dryRun) {
        SchemaPlan plan = migrations.plan();
        SchemaMigrationFile migration = plan.byId(id)
                .orElseThrow(() -> RedisOmBatchException.configuration(
                        "--migration=" + id + ": no such schema migration file in " + migrations.migrationsFolder()));
        if (!plan.isApplied(migration)) {
            throw RedisOmBatchException.configuration("--migration=" + id + ": not applied, nothing to roll back");
        }
        List<SchemaMigrationFile> later = plan.appliedLaterOnSameIndex(migration);
        if (!later.isEmpty()) {
            throw RedisOmBatchException.plan("--migration=" + id + ": "
                    + later.stream().map(SchemaMigrationFile::id).toList() + " changed index " + migration.index()
                    + " afterwards; roll back " + later.get(later.size() - 1).id() + " first");
        }
        try (SearchCommands search = migrations.openSearch()) {
            SchemaResults.Outcome outcome =
                    new SchemaMigrationRunner(migrations, batch).run(search, migration, Direction.ROLLBACK, dryRun);
            return new SchemaResults.Run(List.of(outcome), 0, List.of(), outcome.failure());
        }
    }
}
