package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.plan.EditedSinceApplied;
import dev.redisombatch.batch.results.SchemaResults;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.state.MigrationKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
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
        return start(batch, dryRun, limit, dataApplied, dataKnown, UnaryOperator.identity());
    }

    /**
     * {@link #start} on a copy's target before its keys are copied: only the pending migrations that create an index
     * the target does not have ({@link #createsOfAbsentIndexes}). Each index they create is built over nothing and
     * takes the documents as they are restored. A migration that changes an index runs after the copy, like the
     * rest: a zero-downtime replacement switches only to an index that could index the documents, which it can judge
     * only once they are there.
     */
    public ScheduledSchemaRun startBeforeTheKeys(
            Supplier<BatchInfrastructure> batch, int limit, Set<String> dataApplied, Set<String> dataKnown) {
        return start(batch, false, limit, dataApplied, dataKnown, this::createsOfAbsentIndexes);
    }

    private ScheduledSchemaRun start(
            Supplier<BatchInfrastructure> batch,
            boolean dryRun,
            int limit,
            Set<String> dataApplied,
            Set<String> dataKnown,
            UnaryOperator<List<SchemaMigrationFile>> runNow) {
        SchemaPlan plan = migrations.plan();
        if (plan.migrations().isEmpty()) {
            log.info("no schema migrations in {}", migrations.migrationsFolder());
        }
        refuseEditedUnlessAllowed(plan);
        List<SchemaMigrationFile> pending = plan.pending();
        if (dataKnown != null) {
            refuseUnknownAfter(pending, dataKnown, dataApplied);
        }
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
        SchemaSchedule schedule = new SchemaSchedule(runNow.apply(pending), dataApplied);
        schedule.waiting().forEach(why -> log.info("schema migration {}", why));
        ScheduledSchemaRun run = new ScheduledSchemaRun(
                this, new SchemaMigrationRunner(migrations, batch), dryRun, limit, migrations.stop(), schedule);
        run.runReady();
        return run;
    }

    /**
     * Of {@code pending} (in id order), those that create an index this Redis has not: no previous definition, no
     * index or alias of that name there, and no earlier pending migration of the same index.
     */
    private List<SchemaMigrationFile> createsOfAbsentIndexes(List<SchemaMigrationFile> pending) {
        if (pending.isEmpty()) {
            return pending;
        }
        Set<String> seen = new HashSet<>();
        List<SchemaMigrationFile> creates = new ArrayList<>();
        try (SearchCommands search = openSearch()) {
            for (SchemaMigrationFile migration : pending) {
                if (seen.add(migration.index())
                        && migration.previousDefinition().isEmpty()
                        && search.info(migration.index()).isEmpty()) {
                    creates.add(migration);
                }
            }
        }
        return creates;
    }

    /**
     * After a copy's keys: the index keys ({@code <index>:schema}, {@code <index>:hash}) of the migrations applied to
     * the target before them, written again (the copy may have restored the source's over them), and a warning for
     * each such index that could not index some of the documents copied, as after a create in place.
     *
     * @param ids the schema migrations applied on the target before its keys, in any order
     */
    public void afterTheKeys(Set<String> ids) {
        List<SchemaMigrationFile> applied = migrations.plan().migrations().stream()
                .filter(migration -> ids.contains(migration.id()))
                .toList();
        if (applied.isEmpty()) {
            return;
        }
        try (SearchCommands search = openSearch()) {
            for (SchemaMigrationFile migration : applied) {
                migrations.indexKeys().describe(migration.index(), migration.next());
                search.info(migration.index())
                        .filter(LiveIndex::failedToIndexSome)
                        .ifPresent(index -> log.warn(
                                "index {} (created before the copy's keys by {}) holds {} documents and could not index"
                                        + " others: FT.INFO counts {} failures (hash_indexing_failures, where a document"
                                        + " restored again by a resumed copy counts again); queries miss those"
                                        + " documents until they fit the definition",
                                index.name(),
                                migration.id(),
                                index.numDocs(),
                                index.hashIndexingFailures()));
            }
        }
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
