package dev.redisombatch.batch.command;

import dev.redisombatch.batch.copy.CopiedKeys;
import dev.redisombatch.batch.copy.CopyChecks;
import dev.redisombatch.batch.copy.CopyMark;
import dev.redisombatch.batch.copy.CopySettings;
import dev.redisombatch.batch.copy.KeyCopy;
import dev.redisombatch.batch.copy.KeyFollow;
import dev.redisombatch.batch.data.ConvertedDuringCopy;
import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.data.step.CopyConversion;
import dev.redisombatch.batch.data.step.DataRunContext;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.plan.EditedSinceApplied;
import dev.redisombatch.batch.plan.MigrationChecksum;
import dev.redisombatch.batch.plan.MigrationPlanner;
import dev.redisombatch.batch.results.CopyOutcome;
import dev.redisombatch.batch.results.DataMigrationOutcome;
import dev.redisombatch.batch.results.FollowOutcome;
import dev.redisombatch.batch.results.Results;
import dev.redisombatch.batch.results.SchemaResults;
import dev.redisombatch.batch.schema.IndexCopy;
import dev.redisombatch.batch.schema.ScheduledSchemaRun;
import dev.redisombatch.batch.schema.SchemaApplyCommand;
import dev.redisombatch.batch.schema.SchemaMigrations;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.migration.DataMigration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code migrateData}: the pending schema migrations, then the pending data migrations in plan order, stopping at
 * the first that does not complete; a schema migration ordered after a data migration ({@code after:}) runs right
 * after that one is applied. Applied migrations whose code changed since are refused first (exit 3) unless
 * {@code --allow-edited}.
 */
final class MigrateCommand {

    private static final Logger log = LoggerFactory.getLogger(MigrateCommand.class);

    private final Configuration configuration;
    private final Resources resources;
    private final StopSignal stop;

    MigrateCommand(Configuration configuration, Resources resources, StopSignal stop) {
        this.configuration = configuration;
        this.resources = resources;
        this.stop = stop;
    }

    /** The target's masters' run_ids once its copy was made or found made; null before, or without a copy. */
    private Set<String> targetProcessesAfterCopy;

    /** The migrations the copy made on the way and recorded applied on the target; before any run here. */
    private List<DataMigrationOutcome> madeWhileCopying = List.of();

    /** The schema migrations applied to the target before its keys were copied; none without a copy. */
    private SchemaResults.Run schemaBeforeTheKeys = SchemaResults.Run.NONE;

    Results.Migrate run() throws Exception {
        if (!configuration.copy().follow()) {
            return migrate();
        }
        // Heard from before the copy begins: a change made while a key is copied is copied again afterwards.
        try (KeyFollow.Following following = KeyFollow.subscribe(resources.copySource())) {
            Results.Migrate migrated = migrate();
            if (migrated.failure() != null) {
                return migrated;
            }
            FollowOutcome followed;
            try {
                KnownMigrations known = knownNow();
                followed = new KeyFollow(
                                following,
                                resources.redis(),
                                resources.dataRunContext(),
                                known.appliedInPlanOrder(),
                                copiedKeys(known))
                        .run();
            } catch (RuntimeException e) {
                // Not "run the same command again": a follow that stopped short cannot be resumed in step.
                RedisOmBatchException cause = Failures.classify(e);
                return migrated.followed(
                        null,
                        new RedisOmBatchException(
                                Failure.OUT_OF_STEP,
                                "following the source stopped short (" + cause.getMessage()
                                        + "): changes the source made since may be missing on the target",
                                cause));
            }
            return migrated.followed(
                    followed,
                    followed.inStep()
                            ? null
                            : new RedisOmBatchException(
                                    Failure.OUT_OF_STEP,
                                    "following ended, but the target may have missed changes of the source"));
        }
    }

    /** The data migrations known here, against those applied now on the Redis the migrations act on. */
    private KnownMigrations knownNow() {
        return KnownMigrations.read(
                configuration.plan(),
                configuration.datetime(),
                new AppliedState(resources.redis(), MigrationKind.DATA));
    }

    private Results.Migrate migrate() throws Exception {
        boolean dryRun = configuration.data().dryRun();
        AppliedState applied = new AppliedState(resources.redis(), MigrationKind.DATA);
        KnownMigrations migrations = planned(applied);
        CopyOutcome copy = null;
        if (copies()) {
            // Planned before the copy too: a plan refused (exit 3) after hours of copying would waste them. Planned
            // again after it, once the target has taken the source's record of applied data migrations.
            Set<String> appliedOnceCopied = appliedOnceCopied(MigrationKind.DATA);
            List<DataMigration> onTheWay = toMakeWhileCopying(migrations, appliedOnceCopied);
            KeyCopy keyCopy = keyCopy(copiedKeys(migrations), onTheWay);
            long copyStarted = System.currentTimeMillis();
            KnownMigrations known = migrations;
            copy = keyCopy.run(new KeyCopy.TargetSchema() {
                @Override
                public RedisOmBatchException beforeTheKeys() {
                    return applySchemaBeforeTheKeys(known, appliedOnceCopied);
                }

                @Override
                public void afterTheKeys() {
                    schemaAfterTheKeys();
                }
            });
            targetProcessesAfterCopy = CopyMark.processesOf(resources.redis());
            if (copy.completed()) {
                madeWhileCopying =
                        recordMadeWhileCopying(migrations, keyCopy, System.currentTimeMillis() - copyStarted, applied);
            }
            if (!copy.completed()) {
                return ended(copy, SchemaResults.Run.NONE, List.of(), List.of(), copy.failure());
            }
            migrations = planned(applied);
        }
        List<DataMigration> rewalks = toWalkAgain(migrations);
        List<DataMigration> pending = migrations.pending();
        boolean dataToRun = !pending.isEmpty() || !rewalks.isEmpty();
        if (dataToRun) {
            // The job repository (a database and Spring Batch) is opened only for something to run: a run that finds
            // nothing to do loaded a quarter more classes for it. In the background, while the schema part goes on.
            resources.openBatchInBackground();
        }
        ScheduledSchemaRun schema = schemaApply()
                .start(
                        resources::batch,
                        dryRun,
                        configuration.plan().maxMigrations()
                                - schemaBeforeTheKeys.migrations().size(),
                        migrations.applied(),
                        migrations.known().keySet());
        if (schema.failure() != null) {
            return ended(copy, schema.result(), List.of(), List.of(), schema.failure());
        }
        log.info(
                "{} data migration(s) known, {} pending{}",
                migrations.known().size(),
                pending.size(),
                pending.isEmpty()
                        ? ""
                        : ": " + pending.stream().map(DataMigration::id).toList());
        if (pending.isEmpty()) {
            log.info("no data migration pending on {}", resources.redis().target());
        }
        DataRunContext context = resources.dataRunContext();
        if (!dataToRun) {
            return ended(copy, schema.result(), List.of(), List.of(), null);
        }
        DataMigrationLauncher launcher = resources.launcher(applied);
        List<DataMigrationOutcome> outcomes = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        Set<String> done = new HashSet<>(migrations.applied());
        int limit = configuration.plan().maxMigrations();
        for (DataMigration migration : pending) {
            if (outcomes.size() == limit) {
                waiting.add(migration.id() + ": --limit=" + limit + " reached");
                continue;
            }
            List<String> waitingFor = MigrationPlanner.unappliedDependencies(migration, done);
            if (!waitingFor.isEmpty()) {
                waiting.add(migration.id() + ": waits for " + waitingFor);
                continue;
            }
            String cannotRun = cannotRun(migration);
            if (cannotRun != null) {
                waiting.add(migration.id() + ": " + cannotRun);
                continue;
            }
            RedisOmBatchException stopped = stop.stoppedBefore(migration.id());
            if (stopped != null) {
                return ended(copy, schema.result(), outcomes, waiting, stopped);
            }
            DataMigrationOutcome outcome = launcher.run(migration, Direction.APPLY, context);
            outcomes.add(outcome);
            if (!outcome.completed()) {
                return ended(copy, schema.result(), outcomes, waiting, outcome.failure());
            }
            if (!dryRun && !outcome.leftPending()) {
                done.add(migration.id());
            }
            if (!outcome.leftPending() && schema.afterData(migration.id()) != null) {
                return ended(copy, schema.result(), outcomes, waiting, schema.failure());
            }
        }
        for (DataMigration migration : rewalks) {
            DataMigrationOutcome outcome = launcher.run(migration, Direction.REWALK, context);
            outcomes.add(outcome);
            if (!outcome.completed()) {
                return ended(copy, schema.result(), outcomes, waiting, outcome.failure());
            }
        }
        waiting.forEach(why -> log.warn("skipped, stays pending: {}", why));
        return ended(copy, schema.result(), outcomes, waiting, null);
    }

    /** How this run ended: on the Redis the migrations act on, in this run's mode. */
    private Results.Migrate ended(
            CopyOutcome copy,
            SchemaResults.Run schema,
            List<DataMigrationOutcome> data,
            List<String> waiting,
            RedisOmBatchException failure) {
        if (failure == null && copy != null && copy.completed()) {
            String lost = CopyMark.lostSince(resources.redis(), copy.source(), targetProcessesAfterCopy);
            if (lost != null) {
                failure = new RedisOmBatchException(
                        Failure.OUT_OF_STEP,
                        lost + ": what the migrations did there is not what they would do to the copy");
            }
        }
        List<DataMigrationOutcome> outcomes = new ArrayList<>(madeWhileCopying);
        outcomes.addAll(data);
        return new Results.Migrate(
                resources.redis().target(),
                configuration.data().dryRun(),
                copy,
                schemaBeforeTheKeys.then(schema),
                outcomes,
                waiting,
                null,
                failure);
    }

    /**
     * The data migrations a new copy makes on the way, so that each document they select is read once and written
     * once: those pending once the copy has taken the source's set of applied ids (with {@code --target.copy=all}; none
     * with {@code migrated}), in plan order, as long as each can run then (its dependencies applied or made before
     * it, {@code canRun()}, within {@code --limit}). The rest run on the target after the copy, as without one. None
     * with {@code --workers=remote}: the workers convert on the target what the manager copied.
     */
    private List<DataMigration> toMakeWhileCopying(KnownMigrations migrations, Set<String> appliedAfterCopy) {
        if (configuration.remote().remote()) {
            return List.of();
        }
        Set<String> done = new HashSet<>(appliedAfterCopy);
        List<DataMigration> made = new ArrayList<>();
        for (DataMigration migration : MigrationPlanner.pending(migrations.known(), appliedAfterCopy)) {
            if (made.size() == configuration.plan().maxMigrations()
                    || !MigrationPlanner.unappliedDependencies(migration, done).isEmpty()
                    || cannotRun(migration) != null) {
                break;
            }
            made.add(migration);
            done.add(migration.id());
        }
        return made;
    }

    /** {@link KeyCopy#appliedOnceCopied} for this run's source and {@code --target.copy}. */
    private Set<String> appliedOnceCopied(MigrationKind kind) {
        return KeyCopy.appliedOnceCopied(
                resources.copySource(), configuration.copy().copied(), kind);
    }

    /**
     * Applies to the target, once its copy is begun and before any key is copied, the pending schema migrations that
     * wait for no data migration, or only for those the source's documents have had: each index they create then
     * takes the documents as they arrive. Those waiting for a migration the copy makes on the way run once it is
     * recorded applied, after the copy.
     *
     * @return why the copy must not go on; null when it may
     */
    private RedisOmBatchException applySchemaBeforeTheKeys(KnownMigrations known, Set<String> dataAppliedOnceCopied) {
        ScheduledSchemaRun run = schemaApply()
                .startBeforeTheKeys(
                        resources::batch,
                        configuration.plan().maxMigrations(),
                        dataAppliedOnceCopied,
                        known.known().keySet());
        schemaBeforeTheKeys = run.result();
        if (!schemaBeforeTheKeys.migrations().isEmpty()) {
            log.info(
                    "applied to {} before its keys are copied: {}",
                    resources.redis().target(),
                    schemaBeforeTheKeys.migrations().stream()
                            .map(SchemaResults.Outcome::id)
                            .toList());
        }
        return run.failure();
    }

    /**
     * Once a walk of the copy completed, before it is recorded complete: the index keys of the schema migrations applied
     * on the target before its keys (by this run or an earlier one of the copy: those the target has and the source
     * has not) written again, and their indexes' failures to index the documents copied warned of.
     */
    private void schemaAfterTheKeys() {
        String set = MigrationKind.SCHEMA.appliedSet();
        Set<String> appliedHere = new HashSet<>(
                resources.redis().call("SMEMBERS " + set + " on the target", commands -> commands.smembers(set)));
        appliedHere.removeAll(appliedOnceCopied(MigrationKind.SCHEMA));
        schemaApply().afterTheKeys(appliedHere);
    }

    /**
     * Records applied on the target the migrations its copy made on the way, with the copy's counts, before the plan
     * is made again there (which then finds them applied).
     */
    private List<DataMigrationOutcome> recordMadeWhileCopying(
            KnownMigrations migrations, KeyCopy copy, long durationMillis, AppliedState applied) {
        List<DataMigrationOutcome> outcomes = new ArrayList<>();
        copy.converted().forEach((id, counts) -> {
            DataMigrationOutcome outcome = ConvertedDuringCopy.record(
                    migrations.known().get(id),
                    counts,
                    applied,
                    configuration.plan().allowEmpty(),
                    configuration.data().partitions(),
                    durationMillis,
                    copy.lastExecution());
            if (outcome != null) {
                outcomes.add(outcome);
            }
        });
        copy.clearConversionCounters();
        return outcomes;
    }

    /**
     * The migrations known here against those applied; refused (exit 3) when applied ones were edited since or
     * {@code --rewalk} names one that cannot be walked again.
     */
    private KnownMigrations planned(AppliedState applied) {
        KnownMigrations migrations = KnownMigrations.read(configuration.plan(), configuration.datetime(), applied);
        refuseEditedUnlessAllowed(migrations, applied);
        toWalkAgain(migrations);
        return migrations;
    }

    private boolean copies() {
        return configuration.copy().targetUrl() != null;
    }

    /** The keys the copy takes ({@code --target.copy}), by the selectors of every data migration known here. */
    private CopiedKeys copiedKeys(KnownMigrations migrations) {
        return CopiedKeys.of(configuration.copy().copied(), migrations.selectors());
    }

    private KeyCopy keyCopy(CopiedKeys keys, List<DataMigration> onTheWay) {
        return new KeyCopy(
                resources.copySource(),
                resources.redis(),
                configuration.copy(),
                configuration.data(),
                resources::batch,
                stop,
                resources.leaseCheck(),
                resources.metrics().registry(),
                keys,
                new CopyConversion(onTheWay, resources.dataRunContext()),
                onTheWay.stream()
                        .map(migration -> migration.id() + " " + MigrationChecksum.of(migration))
                        .collect(Collectors.joining(", ")));
    }

    /**
     * With {@code --target.url}: refuses what cannot be copied, before anything is written anywhere; a target without a
     * search module too, when schema migrations are to be applied to it before its keys.
     */
    void refuseUnfitCopy() {
        if (!copies()) {
            return;
        }
        new CopyChecks(resources.copySource(), resources.redis()).refuseUnfit();
        if (configuration.copy().indexes() == CopySettings.Indexes.COPY) {
            IndexCopy.refuseUnfit(resources.copySource(), resources.redis());
        }
        SchemaMigrations schema = schemaMigrations();
        List<String> toApply = schema.pendingIdsBesides(appliedOnceCopied(MigrationKind.SCHEMA));
        if (toApply.isEmpty()) {
            return;
        }
        String why = resources.redis().isCluster()
                ? "is a Redis Cluster, where open-source RediSearch indexes each shard on its own: create the indexes"
                        + " there yourself, and give --migrations-dir a folder without them"
                : schema.searchAvailable()
                        ? null
                        : "has no search module (FT.* commands are unknown): load RediSearch 2.x there, or use Redis 8"
                                + " or Redis Stack";
        if (why != null) {
            throw RedisOmBatchException.configuration("--migrations-dir: schema migration(s) " + toApply + " are"
                    + " pending for the target " + resources.redis().target() + ", and it " + why);
        }
    }

    /**
     * What {@link #run} would do as of now, read-only: the same refusals as a run (edited migrations, unknown
     * rewalks), the pending migrations of both kinds, and DBSIZE of every master for the size of the walks.
     */
    MigratePlan plan() {
        KnownMigrations migrations = planned(new AppliedState(resources.redis(), MigrationKind.DATA));
        List<MigratePlan.Pending> rewalks =
                toWalkAgain(migrations).stream().map(MigrateCommand::pending).toList();
        List<MigratePlan.ServerKeys> servers = resources
                .redis()
                .call(
                        "DBSIZE of every master",
                        commands -> resources.redis().topology().masters().stream()
                                .map(master -> new MigratePlan.ServerKeys(
                                        master.address(), resources.redis().keysOn(master.nodeId())))
                                .toList());
        MigratePlan plan = new MigratePlan(
                resources.redis().target(),
                migrations.pending().stream().map(MigrateCommand::pending).toList(),
                rewalks,
                schemaMigrations().pendingIds(),
                servers);
        log.debug("planned before asking: {}", plan);
        return plan;
    }

    private static MigratePlan.Pending pending(DataMigration migration) {
        return new MigratePlan.Pending(migration.id(), migration.keys().patterns());
    }

    /**
     * The applied migrations {@code --rewalk} names, checked before anything runs: each must be known here and
     * applied before this run (a pending one is simply applied).
     */
    private List<DataMigration> toWalkAgain(KnownMigrations migrations) {
        List<DataMigration> rewalks = new ArrayList<>();
        for (String id : configuration.plan().rewalk()) {
            DataMigration migration = migrations.known().get(id);
            if (migration == null) {
                throw RedisOmBatchException.plan("--rewalk=" + id + ": no such data migration here (give its"
                        + " --migrations.jars, or for the built-in its --datetime.* options)");
            }
            if (!migrations.applied().contains(id)) {
                throw RedisOmBatchException.plan("--rewalk=" + id + ": it is not applied, so there is nothing to"
                        + " walk again: migrateData without --rewalk applies it");
            }
            rewalks.add(migration);
        }
        return rewalks;
    }

    SchemaMigrations schemaMigrations() {
        return new SchemaMigrations(
                configuration.schema(),
                configuration.plan().migrationsRoot(),
                resources.redis(),
                stop,
                configuration.data().progressInterval());
    }

    SchemaApplyCommand schemaApply() {
        return new SchemaApplyCommand(
                schemaMigrations(),
                EditedSinceApplied.forSchema(
                        configuration.plan(), configuration.schema().allowEdited()));
    }

    private void refuseEditedUnlessAllowed(KnownMigrations migrations, AppliedState applied) {
        List<String> edited = migrations.editedSinceApplied(applied);
        if (edited.isEmpty()) {
            return;
        }
        EditedSinceApplied.forData(configuration.plan())
                .refuseUnlessAllowed(
                        "applied data migration(s) changed"
                                + " since they were applied: " + String.join(", ", edited)
                                + ". Restore the code, or write a new"
                                + " migration for the change; when the change is deliberate and needs no new run, --job=repair"
                                + " --checksums records the code at hand (--allow-edited runs anyway, this once)",
                        "applied data migration(s) changed since they were applied, going on (--allow-edited): "
                                + String.join(", ", edited));
    }

    /** Why {@code canRun()} keeps the migration pending, or null when it may run. */
    static String cannotRun(DataMigration migration) {
        try {
            return migration.canRun() ? null : "canRun() is false";
        } catch (RuntimeException e) {
            return "canRun() failed: " + e;
        }
    }
}
