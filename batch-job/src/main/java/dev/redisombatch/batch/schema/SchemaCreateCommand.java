package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.results.SchemaResults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes a schema migration file for each desired definition ({@link DesiredDefinitions}: {@code models/} or a
 * reference Redis) that differs from its live index, named {@code <time>_<name>}; a change already pending in a file
 * is not written again.
 */
public final class SchemaCreateCommand {

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    private final SchemaMigrations migrations;
    private final DesiredDefinitions desired;

    public SchemaCreateCommand(SchemaMigrations migrations, DesiredDefinitions desired) {
        this.migrations = migrations;
        this.desired = desired;
    }

    public SchemaResults.Created run(String name, Clock clock) {
        List<IndexModel> models = desired.read();
        SchemaPlan plan = migrations.plan();
        List<SchemaMigrationFile> toWrite = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (SearchCommands search = migrations.openSearch()) {
            for (IndexModel model : models) {
                Optional<IndexDefinition> live = search.info(model.index())
                        .map(index -> LiveDefinitions.toCompare(model.index(), index, migrations.indexKeys()));
                if (live.isPresent() && live.get().sameAs(model.definition())) {
                    continue;
                }
                Optional<SchemaMigrationFile> alreadyPending = plan.pending().stream()
                        .filter(migration -> migration.index().equals(model.index())
                                && migration.next().sameAs(model.definition()))
                        .findFirst();
                if (alreadyPending.isPresent()) {
                    notes.add("index " + model.index() + ": the change is pending already in "
                            + alreadyPending.get().source());
                    continue;
                }
                toWrite.add(new SchemaMigrationFile(
                        null,
                        live.isEmpty()
                                ? "Create " + model.index()
                                : String.join("; ", model.definition().differencesFrom(live.get())),
                        model.index(),
                        model.mode(),
                        List.of(),
                        0,
                        live.orElse(null),
                        model.definition(),
                        null));
            }
        }
        if (toWrite.isEmpty()) {
            notes.add("no index differs from its definition in " + desired.describe()
                    + " (other than by changes already pending): nothing to write");
            return new SchemaResults.Created(List.of(), notes);
        }
        return new SchemaResults.Created(write(toWrite, name, clock), notes);
    }

    private List<String> write(List<SchemaMigrationFile> drafts, String name, Clock clock) {
        String stamp = ID_TIME.format(clock.instant());
        List<String> written = new ArrayList<>();
        try {
            Path folder = Files.createDirectories(migrations.migrationsFolder());
            for (int i = 0; i < drafts.size(); i++) {
                SchemaMigrationFile draft = drafts.get(i);
                String id = stamp + "_" + name + (drafts.size() > 1 ? "_" + (i + 1) : "");
                Path file = folder.resolve(id + ".yaml");
                if (Files.exists(file)) {
                    throw RedisOmBatchException.configuration(
                            file + " exists already; wait a second or pick" + " another --name");
                }
                SchemaMigrationFile migration = new SchemaMigrationFile(
                        id,
                        draft.description(),
                        draft.index(),
                        draft.mode(),
                        List.of(),
                        0,
                        draft.previous(),
                        draft.next(),
                        file);
                Files.writeString(file, SchemaFileWriter.render(migration));
                written.add(file + " for index " + migration.index() + ": " + migration.description());
            }
        } catch (IOException e) {
            throw RedisOmBatchException.configuration("--migrations-dir=" + migrations.root() + ": " + e.getMessage());
        }
        return written;
    }
}
