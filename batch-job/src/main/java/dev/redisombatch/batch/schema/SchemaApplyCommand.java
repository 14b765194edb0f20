package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.plan.EditedSinceApplied;
import dev.redisombatch.batch.results.SchemaResults;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.state.MigrationKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the pending schema migrations in id order: all at once ({@code migrateSchema}), or scheduled around the
 * data migrations they wait for ({@code migrateData}). Applied files edited since are refused first (exit 3) unless
 * allowed.
 */
public final class SchemaApplyCommand {

    private static final Logger log = LoggerFactory.getLogger(SchemaApplyCommand.class);

    private final SchemaMigrations migrations;
    private final EditedSinceApplied edited;

    public SchemaApplyCommand(SchemaMigrations migrations, EditedSinceApplied edited) {
        this.migrations = migrations;
        this.edited = edited;
    }

    /**
     * Applies the pending migrations, at most {@code limit}: {@code migrateSchema}, which runs no data migration, so
     * one ordered after a data migration that is not applied stays pending.
     *
     * @param batch opens the job repository, or gives the one open; asked only when a migration runs for real
     */
    public SchemaResults.Run applyPending(Supplier<BatchInfrastructure> batch, boolean dryRun, int limit) {
        return start(batch, dryRun, limit, new AppliedState(migrations.redis(), MigrationKind.DATA).ids(), null)
                .result();
    }

    /**
     * Applies the pending migrations that wait for no data migration, in id order; the others run as the data
     * migrations they wait for are applied ({@link ScheduledSchemaRun#afterData}).
     *
     * @param dataApplied ids of the applied data migrations
     * @param dataKnown ids of the data migrations this run knows; an {@code after:} naming one neither known nor
     *        applied is refused (exit 3). Null when the command runs no data migrations and so cannot tell.
     */
    public ScheduledSchemaRun start(
            Supplier<BatchInfrastructure> batch,
            boolean dryRun,
            int limit,
            Set<String> dataApplied,
            Set<String> dataKnown) {
        SchemaPlan plan = migrations.plan();
        if (plan.migrations().isEmpty()) {
            log.info("no schema migrations in {}", migrations.migrationsFolder());
        }
        refuseEditedUnlessAllowed(plan);
        List<SchemaMigrationFile> pending = plan.pending();
        if (dataKnown != null) {
            refuseUnknownAfter(pending, dataKnown, dataApplied);
        }
        SchemaSchedule schedule = new SchemaSchedule(pending, dataApplied);
        if (!plan.migrations().isEmpty()) {
            log.info(
                    "{} schema migration(s), {} pending{}",
                    plan.migrations().size(),
                    pending.size(),
                    pending.isEmpty()
                            ? ""
                            : ": "
                                    + pending.stream()
                                            .map(SchemaMigrationFile::id)
                                            .toList());
        }
        schedule.waiting().forEach(why -> log.info("schema migration {}", why));
        ScheduledSchemaRun run = new ScheduledSchemaRun(
                this, new SchemaMigrationRunner(migrations, batch), dryRun, limit, migrations.stop(), schedule);
        run.runReady();
        return run;
    }

    static void refuseUnknownAfter(List<SchemaMigrationFile> pending, Set<String> dataKnown, Set<String> dataApplied) {
        for (SchemaMigrationFile migration : pending) {
            for (String id : migration.after()) {
                if (!dataKnown.contains(id) && !dataApplied.contains(id)) {
                    throw new SchemaFileException(
                            migration.source(),
                            migration.afterLine(),
                            "after: " + id
                                    + " is no data migration known here (none on the classpath or in --migrations.jars has"
                                    + " this id; the built-in needs its --datetime.* options) nor an applied one");
                }
            }
        }
    }

    SearchCommands openSearch() {
        return migrations.openSearch();
    }

    /** Applies one pending migration (or shows it, in a dry run). */
    SchemaResults.Outcome apply(
            SchemaMigrationRunner runner, SearchCommands search, SchemaMigrationFile migration, boolean dryRun) {
        warnIfLiveDiffers(search, migration);
        return runner.run(search, migration, Direction.APPLY, dryRun);
    }

    private void refuseEditedUnlessAllowed(SchemaPlan plan) {
        List<SchemaMigrationFile> editedFiles = plan.edited();
        if (editedFiles.isEmpty()) {
            return;
        }
        String files = String.join(
                ", ",
                editedFiles.stream()
                        .map(migration -> migration.source() + " (checksum "
                                + abbreviate(plan.appliedChecksum(migration)) + " applied, "
                                + abbreviate(migration.checksum())
                                + " now)")
                        .toList());
        edited.refuseUnlessAllowed(
                "schema migration file(s) edited after they were applied: " + files
                        + ". Restore them, or write a new migration for the change (--allow-edited runs anyway)",
                "schema migration file(s) edited after they were applied, going on (--allow-edited): " + files);
    }

    /** The file says what the index looked like before; an index changed by hand since is replaced all the same. */
    private static void warnIfLiveDiffers(SearchCommands search, SchemaMigrationFile migration) {
        Optional<LiveIndex> live = search.info(migration.index());
        Optional<IndexDefinition> expected = migration.previousDefinition();
        if (live.isPresent()
                && expected.isPresent()
                && !live.get().definition().sameAs(expected.get())
                && !live.get().definition().sameAs(migration.next())) {
            log.warn(
                    "{}: index {} differs from the file's previous definition ({}); replacing it anyway",
                    migration.id(),
                    migration.index(),
                    String.join("; ", live.get().definition().differencesFrom(expected.get())));
        }
        if (live.isPresent() && expected.isEmpty() && !live.get().definition().sameAs(migration.next())) {
            log.warn(
                    "{}: creates index {}, which exists already with another definition; replacing it",
                    migration.id(),
                    migration.index());
        }
    }

    private static String abbreviate(String checksum) {
        return checksum == null ? "none" : checksum.substring(0, Math.min(12, checksum.length()));
    }
}
