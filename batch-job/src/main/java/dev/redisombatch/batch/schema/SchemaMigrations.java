package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.state.MigrationKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * The schema (index) migrations under a migrations folder: apply the pending ones, roll one back, report their state
 * and the indexes' drift, and write new migrations from the desired definitions in {@code models/}.
 */
public final class SchemaMigrations {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
            .withZone(ZoneOffset.UTC);

    private final SchemaSettings settings;
    private final Path root;
    private final RedisEndpoint redis;
    private final AppliedState applied;
    private final IndexKeys indexKeys;
    private final StopSignal stop;
    private final Duration progressInterval;

    /**
     * @param root the migrations folder, holding {@code schema-migrations/} and {@code models/}
     * @param progressInterval how often a long index build logs its progress
     */
    public SchemaMigrations(SchemaSettings settings, Path root, RedisEndpoint redis, StopSignal stop,
            Duration progressInterval) {
        this.settings = settings;
        this.root = root;
        this.redis = redis;
        this.applied = new AppliedState(redis, MigrationKind.SCHEMA);
        this.indexKeys = new IndexKeys(redis);
        this.stop = stop;
        this.progressInterval = progressInterval;
    }

    /** Whether the folder holds any schema migration at all (a Redis without search then needs none). */
    public boolean any() {
        return !SchemaFiles.migrations(root).isEmpty();
    }

    /**
     * Applies the pending migrations in id order, at most {@code limit}: {@code migrateSchema}, which runs no data
     * migration, so one ordered after a data migration that is not applied stays pending.
     *
     * @param allowEdited go on although applied files were edited since
     * @param batch the job repository; unused in a dry run
     */
    public SchemaResults.Run applyPending(BatchInfrastructure batch, boolean dryRun, int limit, boolean allowEdited) {
        return start(batch, dryRun, limit, allowEdited, new AppliedState(redis, MigrationKind.DATA).ids(), null)
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
    public ScheduledSchemaRun start(BatchInfrastructure batch, boolean dryRun, int limit, boolean allowEdited,
            Set<String> dataApplied, Set<String> dataKnown) {
        SchemaPlan plan = SchemaPlan.read(root, applied);
        if (plan.migrations().isEmpty()) {
            log.info("no schema migrations in {}", root.resolve(SchemaFiles.MIGRATIONS_FOLDER));
        }
        checkEdited(plan, allowEdited || settings.allowEdited());
        List<SchemaMigrationFile> pending = plan.pending();
        if (dataKnown != null) {
            refuseUnknownAfter(pending, dataKnown, dataApplied);
        }
        SchemaSchedule schedule = new SchemaSchedule(pending, dataApplied);
        if (!plan.migrations().isEmpty()) {
            log.info("{} schema migration(s), {} pending{}", plan.migrations().size(), pending.size(),
                    pending.isEmpty() ? "" : ": " + pending.stream().map(SchemaMigrationFile::id).toList());
        }
        schedule.waiting().forEach(why -> log.info("schema migration {}", why));
        ScheduledSchemaRun run = new ScheduledSchemaRun(this, batch, dryRun, limit, stop, schedule);
        run.runReady();
        return run;
    }

    static void refuseUnknownAfter(List<SchemaMigrationFile> pending, Set<String> dataKnown,
            Set<String> dataApplied) {
        for (SchemaMigrationFile migration : pending) {
            for (String id : migration.after()) {
                if (!dataKnown.contains(id) && !dataApplied.contains(id)) {
                    throw new SchemaFileException(migration.source(), migration.afterLine(), "after: " + id
                            + " is no data migration known here (none on the classpath or in --migrations.jars has"
                            + " this id; the built-in needs its --datetime.* options) nor an applied one");
                }
            }
        }
    }

    SearchCommands openSearch() {
        return new SearchCommands(redis);
    }

    /** Applies one pending migration (or shows it, in a dry run). */
    SchemaResults.Outcome apply(BatchInfrastructure batch, SearchCommands search, SchemaMigrationFile migration,
            boolean dryRun) {
        warnIfLiveDiffers(search, migration);
        return launch(batch, search, migration, Direction.APPLY, dryRun);
    }

    private void checkEdited(SchemaPlan plan, boolean allowEdited) {
        List<SchemaMigrationFile> edited = plan.edited();
        if (edited.isEmpty()) {
            return;
        }
        String files = String.join(", ", edited.stream().map(migration -> migration.source() + " (checksum "
                + abbreviate(plan.appliedChecksum(migration)) + " applied, " + abbreviate(migration.checksum())
                + " now)").toList());
        if (!allowEdited) {
            throw RedisOmBatchException.plan("schema migration file(s) edited after they were applied: " + files
                    + ". Restore them, or write a new migration for the change (--allow-edited runs anyway)");
        }
        log.warn("schema migration file(s) edited after they were applied, going on (--allow-edited): {}", files);
    }

    /** The file says what the index looked like before; an index changed by hand since is replaced all the same. */
    private static void warnIfLiveDiffers(SearchCommands search, SchemaMigrationFile migration) {
        Optional<LiveIndex> live = search.info(migration.index());
        Optional<IndexDefinition> expected = migration.previousDefinition();
        if (live.isPresent() && expected.isPresent() && !live.get().definition().sameAs(expected.get())
                && !live.get().definition().sameAs(migration.next())) {
            log.warn("{}: index {} differs from the file's previous definition ({}); replacing it anyway",
                    migration.id(), migration.index(),
                    String.join("; ", live.get().definition().differencesFrom(expected.get())));
        }
        if (live.isPresent() && expected.isEmpty() && !live.get().definition().sameAs(migration.next())) {
            log.warn("{}: creates index {}, which exists already with another definition; replacing it",
                    migration.id(), migration.index());
        }
    }

    /** Gives the index of migration {@code id} its previous definition back (or drops it when the migration made it). */
    public SchemaResults.Run rollback(BatchInfrastructure batch, String id, boolean dryRun) {
        SchemaPlan plan = SchemaPlan.read(root, applied);
        SchemaMigrationFile migration = plan.byId(id).orElseThrow(() -> RedisOmBatchException.configuration(
                "--migration=" + id + ": no such schema migration file in "
                        + root.resolve(SchemaFiles.MIGRATIONS_FOLDER)));
        if (!plan.isApplied(migration)) {
            throw RedisOmBatchException.configuration("--migration=" + id + ": not applied, nothing to roll back");
        }
        List<SchemaMigrationFile> later = plan.appliedLaterOnSameIndex(migration);
        if (!later.isEmpty()) {
            throw RedisOmBatchException.plan("--migration=" + id + ": " + later.stream()
                    .map(SchemaMigrationFile::id).toList() + " changed index " + migration.index()
                    + " afterwards; roll back " + later.get(later.size() - 1).id() + " first");
        }
        try (SearchCommands search = new SearchCommands(redis)) {
            SchemaResults.Outcome outcome = launch(batch, search, migration, Direction.ROLLBACK, dryRun);
            return new SchemaResults.Run(List.of(outcome), 0, List.of(), outcome.failure());
        }
    }

    private SchemaResults.Outcome launch(BatchInfrastructure batch, SearchCommands search,
            SchemaMigrationFile migration, Direction direction, boolean dryRun) {
        ReplaceMode mode = settings.modeOverride().or(migration::mode).orElse(ReplaceMode.ZERO_DOWNTIME);
        String what = direction == Direction.APPLY ? "applying" : "rolling back";
        if (dryRun) {
            List<String> commands = new ArrayList<>();
            commands.add("# " + what + " " + migration.id() + " on " + migration.index() + " (" + mode.cliName()
                    + "), dry run: these commands would be sent");
            replacement(search, commands::add).replace(migration.index(), migration.target(direction), mode);
            return new SchemaResults.Outcome(migration.id(), migration.index(), direction, mode.cliName(), "dry run",
                    commands, null);
        }
        log.info("{} schema migration {} on index {} ({})", what, migration.id(), migration.index(), mode.cliName());
        RedisOmBatchException failure;
        String status;
        try {
            JobExecution execution = new SchemaMigrationLauncher(batch, applied, indexKeys).run(migration, direction,
                    mode, replacement(search, null), search.target());
            status = execution.getStatus() == BatchStatus.COMPLETED
                    ? (direction == Direction.APPLY ? "applied" : "rolled back") : execution.getStatus().toString();
            failure = execution.getStatus() == BatchStatus.COMPLETED ? null : execution.getAllFailureExceptions()
                    .stream().findFirst().map(Failures::classify).orElseGet(() -> new RedisOmBatchException(
                            Failure.INTERRUPTED, migration.id() + ": " + what + " ended " + execution.getStatus()));
        } catch (Exception e) {
            failure = Failures.classify(e);
            status = "FAILED";
        }
        if (failure != null && stop.isRequested() && failure.failure() == Failure.INTERRUPTED) {
            failure = new RedisOmBatchException(Failure.STOPPED, failure.getMessage(), failure);
        }
        if (failure == null) {
            log.info("{}: {}", migration.id(), status);
        }
        return new SchemaResults.Outcome(migration.id(), migration.index(), direction, mode.cliName(),
                failure == null ? status : failure.failure() == Failure.STOPPED ? "STOPPED" : "FAILED", List.of(),
                failure);
    }

    private IndexReplacement replacement(SearchCommands search, java.util.function.Consumer<String> dryRunOutput) {
        return new IndexReplacement(search, new IndexBuildWait(search, settings.waitTimeout(), progressInterval,
                stop::isRequested), dryRunOutput);
    }

    /**
     * Each file applied or pending (and edited since), ids applied with no file here, and per index whether the live
     * definition matches the last applied one. Without a search module the indexes are {@code unknown}.
     */
    public SchemaResults.Status status() {
        SchemaPlan plan = SchemaPlan.read(root, applied);
        List<SchemaMigrationFile> edited = plan.edited();
        List<SchemaResults.FileState> files = plan.migrations().stream().map(migration -> new SchemaResults.FileState(
                migration.id(), migration.index(), plan.isApplied(migration), edited.contains(migration))).toList();
        List<SchemaResults.IndexState> indexes = new ArrayList<>();
        Map<String, SchemaMigrationFile> lastApplied = plan.lastAppliedPerIndex();
        if (!lastApplied.isEmpty()) {
            try (SearchCommands search = new SearchCommands(redis)) {
                for (Map.Entry<String, SchemaMigrationFile> entry : lastApplied.entrySet()) {
                    indexes.add(indexState(search, entry.getKey(), entry.getValue()));
                }
            } catch (SearchModuleMissingException noSearch) {
                lastApplied.forEach((index, migration) -> indexes.add(new SchemaResults.IndexState(index, "unknown",
                        migration.id(), null, null, null, List.of("no search module on " + redis.target()))));
            }
        }
        return new SchemaResults.Status(root.resolve(SchemaFiles.MIGRATIONS_FOLDER).toString(), files,
                List.copyOf(plan.appliedWithoutFile()), indexes);
    }

    private static SchemaResults.IndexState indexState(SearchCommands search, String index,
            SchemaMigrationFile lastApplied) {
        Optional<LiveIndex> live = search.info(index);
        if (live.isEmpty()) {
            return new SchemaResults.IndexState(index, "missing", lastApplied.id(), null, null, null,
                    List.of("no such index (dropped by hand?)"));
        }
        List<String> differences = live.get().definition().sameAs(lastApplied.next()) ? List.of()
                : live.get().definition().differencesFrom(lastApplied.next());
        return new SchemaResults.IndexState(index, differences.isEmpty() ? "in-sync" : "drift", lastApplied.id(),
                live.get().name(), live.get().numDocs(), !live.get().built(), differences);
    }

    /** A migration file for each model whose definition differs from its live index, named {@code <time>_<name>}. */
    public SchemaResults.Created create(String name, Clock clock) {
        List<IndexModel> models = SchemaFiles.models(root);
        if (models.isEmpty()) {
            throw RedisOmBatchException.configuration("--migrations-dir=" + root + ": no index definitions in "
                    + root.resolve(SchemaFiles.MODELS_FOLDER) + "; create writes migrations from them");
        }
        SchemaPlan plan = SchemaPlan.read(root, applied);
        List<SchemaMigrationFile> toWrite = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try (SearchCommands search = new SearchCommands(redis)) {
            for (IndexModel model : models) {
                Optional<IndexDefinition> live = liveDefinition(search, model.index());
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
                toWrite.add(new SchemaMigrationFile(null, live.isEmpty() ? "Create " + model.index()
                        : String.join("; ", model.definition().differencesFrom(live.get())), model.index(),
                        model.mode(), List.of(), 0, live.orElse(null), model.definition(), model.source()));
            }
        }
        if (toWrite.isEmpty()) {
            notes.add("no index differs from its model in " + root.resolve(SchemaFiles.MODELS_FOLDER)
                    + " (other than by changes already pending): nothing to write");
            return new SchemaResults.Created(List.of(), notes);
        }
        return new SchemaResults.Created(write(toWrite, name, clock), notes);
    }

    private List<String> write(List<SchemaMigrationFile> drafts, String name, Clock clock) {
        String stamp = ID_TIME.format(clock.instant());
        List<String> written = new ArrayList<>();
        try {
            Path folder = Files.createDirectories(root.resolve(SchemaFiles.MIGRATIONS_FOLDER));
            for (int i = 0; i < drafts.size(); i++) {
                SchemaMigrationFile draft = drafts.get(i);
                String id = stamp + "_" + name + (drafts.size() > 1 ? "_" + (i + 1) : "");
                Path file = folder.resolve(id + ".yaml");
                if (Files.exists(file)) {
                    throw RedisOmBatchException.configuration(file + " exists already; wait a second or pick"
                            + " another --name");
                }
                SchemaMigrationFile migration = new SchemaMigrationFile(id, draft.description(), draft.index(),
                        draft.mode(), List.of(), 0, draft.previous(), draft.next(), file);
                Files.writeString(file, SchemaFiles.render(migration));
                written.add(file + " for index " + migration.index() + ": " + migration.description());
            }
        } catch (IOException e) {
            throw RedisOmBatchException.configuration("--migrations-dir=" + root + ": " + e.getMessage());
        }
        return written;
    }

    /**
     * The live definition. RediSearch 2.6's FT.INFO leaves out a vector field's parameters; they are taken from the
     * schema text kept in {@code <index>:schema} when it otherwise matches.
     */
    private Optional<IndexDefinition> liveDefinition(SearchCommands search, String index) {
        Optional<IndexDefinition> live = search.info(index).map(LiveIndex::definition);
        if (live.isEmpty() || live.get().fields().stream().allMatch(IndexField::complete)) {
            return live;
        }
        Optional<IndexDefinition> kept = indexKeys.keptDefinition(index)
                .filter(definition -> definition.sameAs(live.get()));
        if (kept.isEmpty()) {
            throw new SchemaMigrationException("index " + index + " has VECTOR fields whose parameters FT.INFO does"
                    + " not report, and " + index + ":schema does not describe it; write this migration by hand");
        }
        return kept;
    }

    private static String abbreviate(String checksum) {
        return checksum == null ? "none" : checksum.substring(0, Math.min(12, checksum.length()));
    }
}
