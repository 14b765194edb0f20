package dev.redisombatch.batch.command;

import dev.redisombatch.batch.demo.DemoModel;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.results.Results;
import dev.redisombatch.batch.results.SchemaResults;
import dev.redisombatch.batch.scaffolding.MigrationSkeleton;
import dev.redisombatch.batch.schema.DesiredDefinitions;
import dev.redisombatch.batch.schema.SchemaCreateCommand;
import dev.redisombatch.batch.schema.SchemaMigrations;
import dev.redisombatch.batch.schema.SchemaRollbackCommand;
import dev.redisombatch.batch.schema.SchemaStatusCommand;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The tool's one API, shaped like Flyway's: configured once with {@link Configuration}, each command returns a result
 * record and fails with a {@link dev.redisombatch.batch.failure.RedisOmBatchException}; results that did not get all
 * the way say so in their {@code failure}. The command line only renders what comes back.
 *
 * <p>Commands that write take the run lock first (a dry run writes nothing and takes none); read-only commands take
 * none. Close it to release the lock, the connections and the job repository.
 */
public final class RedisOmBatch implements AutoCloseable {

    private final Configuration configuration;
    private final StopSignal stop;
    private final Resources resources;

    public RedisOmBatch(Configuration configuration, StopSignal stop) {
        this.configuration = configuration;
        this.stop = stop;
        this.resources = new Resources(configuration, stop);
    }

    /** The pending schema migrations, then the pending data migrations; no one is asked. */
    public Results.Migrate migrate() throws Exception {
        return migrate(Confirmation.NOT_ASKED);
    }

    /**
     * The pending schema migrations, then the pending data migrations, once {@code confirmation} agrees to the plan.
     * It is asked before the job repository is opened and the lock taken (an operator thinking it over holds
     * neither), and only when there is something to write.
     */
    public Results.Migrate migrate(Confirmation confirmation) throws Exception {
        MigrateCommand command = new MigrateCommand(configuration, resources, stop);
        if (confirmation != Confirmation.NOT_ASKED) {
            MigratePlan plan = command.plan();
            if (!plan.writesNothing() && !confirmation.proceed(plan)) {
                throw new RedisOmBatchException(Failure.DECLINED, "migrateData: answered no at the prompt");
            }
        }
        command.refuseUnfitCopy();
        lockUnlessDryRun("migrateData");
        return command.run();
    }

    /** Only the pending schema migrations. */
    public SchemaResults.Run migrateSchema() {
        refuseSchemaOnCluster();
        lockUnlessDryRun("migrateSchema");
        return new MigrateCommand(configuration, resources, stop)
                .schemaApply()
                .applyPending(
                        resources::batch,
                        configuration.data().dryRun(),
                        configuration.plan().maxMigrations());
    }

    public SchemaResults.Run rollbackSchema(String id) {
        refuseSchemaOnCluster();
        lockUnlessDryRun("migrateSchema");
        return new SchemaRollbackCommand(schemaMigrations())
                .run(resources::batch, id, configuration.data().dryRun());
    }

    /** The schema migrations and their indexes' drift; with {@code --desired-from}, the drift from that reference. */
    public SchemaResults.Status schemaStatus() {
        refuseSchemaOnCluster();
        return new SchemaStatusCommand(schemaMigrations(), desiredDefinitions()).run();
    }

    /** Writes a schema migration for each desired definition (models/ or a reference Redis) that differs. */
    public SchemaResults.Created createSchemaMigration(String name) {
        refuseSchemaOnCluster();
        return new SchemaCreateCommand(schemaMigrations(), desiredDefinitions()).run(name, Clock.systemUTC());
    }

    /**
     * Data migrations, unfinished runs, and (when there are schema migration files) schema migrations; with
     * {@code --desired-from}, the schema part always, with the drift from that reference (refused on a cluster).
     */
    public Results.Status status(boolean detailed) {
        boolean againstReference = configuration.schema().desiredFromReference().isPresent();
        if (againstReference) {
            refuseSchemaOnCluster();
        }
        resources.openBatchInBackground();
        SchemaResults.Status schema = againstReference
                        || (schemaMigrations().any()
                                && !configuration.migrated().cluster())
                ? new SchemaStatusCommand(schemaMigrations(), desiredDefinitions()).run()
                : null;
        return new StatusCommand(configuration, resources).run(detailed, schema);
    }

    /** @param sample documents per key pattern {@code checkData} looks at; {@code Long.MAX_VALUE} for all */
    public Results.Verify verify(boolean checkData, long sample) {
        return new VerifyCommand(configuration, resources).run(checkData, sample);
    }

    public Results.Rollback rollback(String id) throws Exception {
        resources.openBatchInBackground();
        lockUnlessDryRun("rollback");
        return new RollbackCommand(configuration, resources).run(id);
    }

    /** @param id the migration to mark applied; null for every pending one */
    public Results.Stamp stamp(String id) {
        resources.lock("stamp");
        return new StampCommand(configuration, resources).run(id);
    }

    /**
     * The unfinished runs; with {@code abandon}, marks them abandoned; with {@code checksums}, records the checksum of
     * the code at hand for applied migrations whose code changed since (both under the lock).
     */
    public Results.Repair repair(boolean abandon, boolean checksums) throws Exception {
        if (abandon || checksums) {
            resources.lock("repair");
        }
        return new RepairCommand(configuration, resources).run(abandon, checksums);
    }

    /** A worker of remote partitioning: runs partitions from the queue until stopped or idle long enough. */
    public Results.Worker worker() throws InterruptedException {
        return new WorkerCommand(configuration, resources, stop).run();
    }

    public Results.Demo generateDemoData(DemoModel model, long count, long seed) {
        long started = System.nanoTime();
        long written = model.write(resources.redis(), count, seed);
        return new Results.Demo(model.name(), written, model.keyPattern(), (System.nanoTime() - started) / 1e9);
    }

    /** A new data migration in the Maven project at {@code dir}; needs no Redis. */
    public static Results.Create create(Path dir, String name) {
        try {
            MigrationSkeleton.Result created = MigrationSkeleton.write(dir, name, Clock.systemUTC());
            return new Results.Create(
                    created.id(),
                    created.source().toString(),
                    created.registration().toString(),
                    created.pom().toString(),
                    created.api().toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("name", e.getMessage());
        } catch (IllegalStateException | IOException e) {
            throw RedisOmBatchException.configuration("--dir=" + dir + ": " + e.getMessage());
        }
    }

    private DesiredDefinitions desiredDefinitions() {
        return new DesiredDefinitions(
                configuration.schema(),
                configuration.redis(),
                configuration.plan().migrationsRoot());
    }

    private SchemaMigrations schemaMigrations() {
        return new MigrateCommand(configuration, resources, stop).schemaMigrations();
    }

    /**
     * Open-source RediSearch indexes each shard on its own (there is no coordinator), so an index created through
     * one node would cover that node's keys only: schema migrations are refused on a cluster, whatever the files.
     */
    private void refuseSchemaOnCluster() {
        if (configuration.migrated().cluster()) {
            resources.redis().openResp2();
        }
    }

    private void lockUnlessDryRun(String job) {
        if (!configuration.data().dryRun()) {
            resources.lock(job);
        }
    }

    @Override
    public void close() {
        resources.close();
    }
}
