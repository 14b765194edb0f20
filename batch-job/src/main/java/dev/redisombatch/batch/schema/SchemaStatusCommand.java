package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.results.SchemaResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each schema migration file applied or pending (and edited since), ids applied with no file here, and per index
 * whether the live definition matches the last applied one. Without a search module the indexes are
 * {@code unknown}. With {@code --desired-from}, also each index of that reference Redis against the live one
 * ({@link ReferenceComparison}).
 */
public final class SchemaStatusCommand {

    private final SchemaMigrations migrations;
    private final DesiredDefinitions desired;

    public SchemaStatusCommand(SchemaMigrations migrations, DesiredDefinitions desired) {
        this.migrations = migrations;
        this.desired = desired;
    }

    public SchemaResults.Status run() {
        // The reference first: a wrong URL is said before anything is read from the target.
        SchemaResults.ReferenceDrift reference = desired.reference()
                .map(read -> new ReferenceComparison(migrations, read)
                        .compare(!migrations.settings().indexes().isEmpty()))
                .orElse(null);
        SchemaPlan plan = migrations.plan();
        List<SchemaMigrationFile> edited = plan.edited();
        List<SchemaResults.FileState> files = plan.migrations().stream()
                .map(migration -> new SchemaResults.FileState(
                        migration.id(), migration.index(), plan.isApplied(migration), edited.contains(migration)))
                .toList();
        List<SchemaResults.IndexState> indexes = new ArrayList<>();
        Map<String, SchemaMigrationFile> lastApplied = plan.lastAppliedPerIndex();
        if (!lastApplied.isEmpty()) {
            try (SearchCommands search = migrations.openSearch()) {
                for (Map.Entry<String, SchemaMigrationFile> entry : lastApplied.entrySet()) {
                    indexes.add(indexState(search, entry.getKey(), entry.getValue()));
                }
            } catch (SearchModuleMissingException noSearch) {
                lastApplied.forEach((index, migration) -> indexes.add(new SchemaResults.IndexState(
                        index,
                        "unknown",
                        migration.id(),
                        null,
                        null,
                        null,
                        List.of("no search module on " + migrations.redis().target()))));
            }
        }
        return new SchemaResults.Status(
                migrations.migrationsFolder().toString(),
                files,
                List.copyOf(plan.appliedWithoutFile()),
                indexes,
                reference);
    }

    private static SchemaResults.IndexState indexState(
            SearchCommands search, String index, SchemaMigrationFile lastApplied) {
        Optional<LiveIndex> live = search.info(index);
        if (live.isEmpty()) {
            return new SchemaResults.IndexState(
                    index, "missing", lastApplied.id(), null, null, null, List.of("no such index (dropped by hand?)"));
        }
        List<String> differences = live.get().definition().sameAs(lastApplied.next())
                ? List.of()
                : live.get().definition().differencesFrom(lastApplied.next());
        return new SchemaResults.IndexState(
                index,
                differences.isEmpty() ? "in-sync" : "drift",
                lastApplied.id(),
                live.get().name(),
                live.get().numDocs(),
                !live.get().built(),
                differences);
    }
}
