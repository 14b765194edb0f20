package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.schema.IndexBuildWait;
import dev.redisombatch.batch.schema.IndexDefinition;
import dev.redisombatch.batch.schema.IndexField;
import dev.redisombatch.batch.schema.IndexModel;
import dev.redisombatch.batch.schema.IndexReplacement;
import dev.redisombatch.batch.schema.LiveIndex;
import dev.redisombatch.batch.schema.ReplaceMode;
import dev.redisombatch.batch.schema.SchemaFileException;
import dev.redisombatch.batch.schema.SchemaFiles;
import dev.redisombatch.batch.schema.SchemaMigrationException;
import dev.redisombatch.batch.schema.SchemaMigrationFile;
import dev.redisombatch.batch.schema.SchemaMigrationLauncher;
import dev.redisombatch.batch.schema.SchemaMigrationLauncher.Direction;
import dev.redisombatch.batch.schema.SchemaPlan;
import dev.redisombatch.batch.schema.SchemaState;
import dev.redisombatch.batch.schema.SearchCommands;
import dev.redisombatch.batch.schema.SearchModuleMissingException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * {@code --job=migrateSchema}: status, run, create and rollback of the index migrations under
 * {@code --migrations-dir}; {@code --job=migrateData} calls {@link #run} before its data migrations.
 */
final class MigrateSchemaCommand {

    private static final Logger log = LoggerFactory.getLogger(MigrateSchemaCommand.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
            .withZone(ZoneOffset.UTC);

    private final CommandLineOptions options;
    private final SchemaState state;
    private final SearchCommands search;
    private final SchemaMigrationLauncher launcher;
    private final StopSignal stop;
    private final PrintStream out;

    MigrateSchemaCommand(CommandLineOptions options, SchemaState state, SearchCommands search,
            SchemaMigrationLauncher launcher, StopSignal stop, PrintStream out) {
        this.options = options;
        this.state = state;
        this.search = search;
        this.launcher = launcher;
        this.stop = stop;
        this.out = out;
    }

    /** Runs the {@code --command} given; file and search-module problems become exit codes here. */
    ExitCode execute() throws Exception {
        return guarded(() -> switch (options.command()) {
            case status -> status();
            case run -> runPending();
            case create -> create(Clock.systemUTC());
            case rollback -> rollback();
        });
    }

    /** The pending migrations, applied in id order; what {@code migrateData} runs first. */
    ExitCode run() throws Exception {
        return guarded(this::runPending);
    }

    @FunctionalInterface
    private interface Command {
        ExitCode run() throws Exception;
    }

    private ExitCode guarded(Command command) throws Exception {
        try {
            return command.run();
        } catch (SchemaFileException e) {
            log.error("{}", e.getMessage());
            return ExitCode.PLAN;
        } catch (SearchModuleMissingException e) {
            log.error("{}", e.getMessage());
            return ExitCode.USAGE;
        } catch (SchemaMigrationException e) {
            log.error("{}", e.getMessage());
            return stop.isRequested() ? ExitCode.STOPPED : ExitCode.JOB_FAILED;
        } catch (IOException e) {
            log.error("--migrations-dir={}: {}", options.migrationsDir(), e.getMessage());
            return ExitCode.USAGE;
        }
    }

    private ExitCode runPending() throws Exception {
        Path root = options.migrationsDir();
        SchemaPlan plan = SchemaPlan.read(root, state);
        List<SchemaMigrationFile> pending = plan.pending();
        if (plan.migrations().isEmpty()) {
            log.info("no schema migrations in {}", root.resolve(SchemaFiles.MIGRATIONS_FOLDER));
            return ExitCode.SUCCESS;
        }
        List<SchemaMigrationFile> edited = plan.edited();
        if (!edited.isEmpty()) {
            String files = String.join(", ", edited.stream().map(migration -> migration.source().toString()).toList());
            if (!options.schemaAllowEdited()) {
                log.error("schema migration file(s) edited after they were applied: {}. Restore them, or write a new"
                        + " migration for the change (--schema.allow-edited runs anyway)", files);
                return ExitCode.PLAN;
            }
            log.warn("schema migration file(s) edited after they were applied, going on (--schema.allow-edited): {}",
                    files);
        }
        log.info("{} schema migration(s), {} pending{}", plan.migrations().size(), pending.size(),
                pending.isEmpty() ? "" : ": " + pending.stream().map(SchemaMigrationFile::id).toList());
        int started = 0;
        for (SchemaMigrationFile migration : pending) {
            if (started == options.limit()) {
                log.info("--limit={} reached; {} schema migration(s) still pending", options.limit(),
                        pending.size() - started);
                break;
            }
            if (stop.isRequested()) {
                return ExitCode.STOPPED;
            }
            started++;
            warnIfLiveDiffers(migration);
            ExitCode outcome = launch(migration, Direction.APPLY);
            if (outcome != ExitCode.SUCCESS) {
                return outcome;
            }
        }
        return ExitCode.SUCCESS;
    }

    /** The file says what the index looked like before; an index changed by hand since is replaced all the same. */
    private void warnIfLiveDiffers(SchemaMigrationFile migration) {
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

    private ExitCode rollback() throws Exception {
        SchemaPlan plan = SchemaPlan.read(options.migrationsDir(), state);
        SchemaMigrationFile migration = plan.byId(options.migration()).orElse(null);
        if (migration == null) {
            log.error("--migration={}: no such schema migration file in {}", options.migration(),
                    options.migrationsDir().resolve(SchemaFiles.MIGRATIONS_FOLDER));
            return ExitCode.USAGE;
        }
        if (!plan.isApplied(migration)) {
            log.error("--migration={}: not applied, nothing to roll back", migration.id());
            return ExitCode.USAGE;
        }
        List<SchemaMigrationFile> later = plan.appliedLaterOnSameIndex(migration);
        if (!later.isEmpty()) {
            log.error("--migration={}: {} changed index {} afterwards; roll back {} first", migration.id(),
                    later.stream().map(SchemaMigrationFile::id).toList(), migration.index(),
                    later.get(later.size() - 1).id());
            return ExitCode.PLAN;
        }
        return launch(migration, Direction.ROLLBACK);
    }

    private ExitCode launch(SchemaMigrationFile migration, Direction direction) throws Exception {
        ReplaceMode mode = options.schemaMode().or(migration::mode).orElse(ReplaceMode.ZERO_DOWNTIME);
        String what = direction == Direction.APPLY ? "applying" : "rolling back";
        if (options.dryRun()) {
            out.println("# " + what + " " + migration.id() + " on " + migration.index() + " (" + mode.cliName()
                    + "), dry run: these commands would be sent");
            replacement(out).replace(migration.index(), migration.target(direction), mode);
            return ExitCode.SUCCESS;
        }
        log.info("{} schema migration {} on index {} ({})", what, migration.id(), migration.index(), mode.cliName());
        JobExecution execution = launcher.run(migration, direction, mode, replacement(null), search.target());
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            log.info("{}: {}", migration.id(), direction == Direction.APPLY ? "applied" : "rolled back");
            return ExitCode.SUCCESS;
        }
        Throwable failure = execution.getAllFailureExceptions().stream().findFirst().orElse(null);
        while (failure != null && failure.getCause() != null && !(failure instanceof SchemaMigrationException)
                && !(failure instanceof SearchModuleMissingException)) {
            failure = failure.getCause();
        }
        if (failure instanceof SearchModuleMissingException missing) {
            throw missing;
        }
        if (failure instanceof SchemaMigrationException problem) {
            throw problem;
        }
        log.error("{}: {} ended {}: {}. Run the same command again to continue", migration.id(), what,
                execution.getStatus(), failure == null ? "no error recorded" : failure.toString());
        return stop.isRequested() ? ExitCode.STOPPED : ExitCode.JOB_FAILED;
    }

    private IndexReplacement replacement(PrintStream dryRunOutput) {
        return new IndexReplacement(search, new IndexBuildWait(search, options.schemaWaitTimeout(),
                options.progressInterval(), stop::isRequested), dryRunOutput);
    }

    private ExitCode status() {
        SchemaPlan plan = SchemaPlan.read(options.migrationsDir(), state);
        List<SchemaMigrationFile> edited = plan.edited();
        out.printf("schema migrations in %s: %d, %d applied, %d pending%n",
                options.migrationsDir().resolve(SchemaFiles.MIGRATIONS_FOLDER), plan.migrations().size(),
                plan.migrations().size() - plan.pending().size(), plan.pending().size());
        for (SchemaMigrationFile migration : plan.migrations()) {
            out.printf("  %-8s %s  %s%s%n", plan.isApplied(migration) ? "applied" : "pending", migration.id(),
                    migration.index(), edited.contains(migration)
                            ? "  [file edited since it was applied: checksum differs]" : "");
        }
        plan.appliedWithoutFile().forEach(id -> out.printf("  applied  %s  (no file here)%n", id));
        int drifted = 0;
        for (Map.Entry<String, SchemaMigrationFile> entry : plan.lastAppliedPerIndex().entrySet()) {
            Optional<LiveIndex> live = search.info(entry.getKey());
            String line;
            if (live.isEmpty()) {
                line = "DRIFT: no such index (dropped by hand?)";
                drifted++;
            } else if (live.get().definition().sameAs(entry.getValue().next())) {
                line = "in sync with " + entry.getValue().id() + " (index " + live.get().name() + ", "
                        + live.get().numDocs() + " documents" + (live.get().built() ? "" : ", still indexing") + ")";
            } else {
                line = "DRIFT from " + entry.getValue().id() + ": "
                        + String.join("; ", live.get().definition().differencesFrom(entry.getValue().next()));
                drifted++;
            }
            out.printf("index %s: %s%n", entry.getKey(), line);
        }
        boolean behind = !plan.pending().isEmpty() || drifted > 0 || !edited.isEmpty();
        return options.check() && behind ? ExitCode.CHECK_FAILED : ExitCode.SUCCESS;
    }

    /** A migration file for each model whose definition differs from its live index. */
    ExitCode create(Clock clock) throws IOException {
        Path root = options.migrationsDir();
        List<IndexModel> models = SchemaFiles.models(root);
        if (models.isEmpty()) {
            log.error("--migrations-dir={}: no index definitions in {}; create writes migrations from them", root,
                    root.resolve(SchemaFiles.MODELS_FOLDER));
            return ExitCode.USAGE;
        }
        SchemaPlan plan = SchemaPlan.read(root, state);
        List<SchemaMigrationFile> toWrite = new ArrayList<>();
        String stamp = ID_TIME.format(clock.instant());
        for (IndexModel model : models) {
            Optional<IndexDefinition> live = liveDefinition(model.index());
            if (live.isPresent() && live.get().sameAs(model.definition())) {
                continue;
            }
            Optional<SchemaMigrationFile> alreadyPending = plan.pending().stream()
                    .filter(migration -> migration.index().equals(model.index())
                            && migration.next().sameAs(model.definition()))
                    .findFirst();
            if (alreadyPending.isPresent()) {
                out.println("index " + model.index() + ": the change is pending already in "
                        + alreadyPending.get().source());
                continue;
            }
            toWrite.add(new SchemaMigrationFile(null, live.isEmpty() ? "Create " + model.index()
                    : String.join("; ", model.definition().differencesFrom(live.get())), model.index(),
                    model.mode(), live.orElse(null), model.definition(), model.source()));
        }
        if (toWrite.isEmpty()) {
            out.println("no index differs from its model in " + root.resolve(SchemaFiles.MODELS_FOLDER)
                    + " (other than by changes already pending): nothing to write");
            return ExitCode.SUCCESS;
        }
        Path folder = Files.createDirectories(root.resolve(SchemaFiles.MIGRATIONS_FOLDER));
        for (int i = 0; i < toWrite.size(); i++) {
            SchemaMigrationFile draft = toWrite.get(i);
            String id = stamp + "_" + options.name() + (toWrite.size() > 1 ? "_" + (i + 1) : "");
            Path file = folder.resolve(id + ".yaml");
            if (Files.exists(file)) {
                log.error("{} exists already; wait a second or pick another --name", file);
                return ExitCode.USAGE;
            }
            SchemaMigrationFile migration = new SchemaMigrationFile(id, draft.description(), draft.index(),
                    draft.mode(), draft.previous(), draft.next(), file);
            Files.writeString(file, SchemaFiles.render(migration));
            out.println("wrote " + file + " for index " + migration.index() + ": " + migration.description());
        }
        return ExitCode.SUCCESS;
    }

    /**
     * The live definition. RediSearch 2.6's FT.INFO leaves out a vector field's parameters; they are taken from the
     * schema text kept in {@code <index>:schema} when it otherwise matches.
     */
    private Optional<IndexDefinition> liveDefinition(String index) {
        Optional<IndexDefinition> live = search.info(index).map(LiveIndex::definition);
        if (live.isEmpty() || live.get().fields().stream().allMatch(IndexField::complete)) {
            return live;
        }
        Optional<IndexDefinition> kept = state.keptDefinition(index).filter(definition -> definition.sameAs(live.get()));
        if (kept.isEmpty()) {
            throw new SchemaMigrationException("index " + index + " has VECTOR fields whose parameters FT.INFO does"
                    + " not report, and " + index + ":schema does not describe it; write this migration by hand");
        }
        return kept;
    }
}
