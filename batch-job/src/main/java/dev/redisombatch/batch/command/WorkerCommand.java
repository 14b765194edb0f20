package dev.redisombatch.batch.command;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.data.WorkerSteps;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.remote.PartitionQueue;
import dev.redisombatch.batch.remote.PartitionWorker;
import dev.redisombatch.batch.results.Results;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.migration.DataMigration;
import java.util.Map;

/**
 * {@code worker}: runs the partitions managers started with {@code --workers=remote} send to the queue, {@code
 * --threads} at a time, with the migrations of this process's classpath and {@code --migrations.jars} (a built-in
 * comes configured with its job). Takes no lock: the manager holds the run's.
 */
final class WorkerCommand {

    private final Configuration configuration;
    private final Resources resources;
    private final StopSignal stop;

    WorkerCommand(Configuration configuration, Resources resources, StopSignal stop) {
        this.configuration = configuration;
        this.resources = resources;
        this.stop = stop;
    }

    Results.Worker run() throws InterruptedException {
        PartitionQueue queue = resources.workerQueue();
        BatchInfrastructure batch = resources.batch();
        Map<String, DataMigration> known = KnownMigrations.read(
                        configuration.plan(),
                        configuration.datetime(),
                        new AppliedState(resources.redis(), MigrationKind.DATA))
                .known();
        WorkerSteps steps = new WorkerSteps(
                batch,
                (id, jobConfiguration) -> migration(known, id, jobConfiguration),
                resources.redis(),
                configuration.data(),
                resources.metrics().registry());
        PartitionWorker.Result result = new PartitionWorker(
                        queue,
                        batch.jobRepository(),
                        steps,
                        configuration.data().threads(),
                        configuration.remote(),
                        stop)
                .run();
        return new Results.Worker(
                resources.redis().target(), result.completed(), result.notCompleted(), result.dropped());
    }

    /** A built-in as its job configured it (the manager's options); any other migration as this process knows it. */
    private static DataMigration migration(
            Map<String, DataMigration> known, String id, Map<String, String> jobConfiguration) {
        if (!jobConfiguration.isEmpty()) {
            return DatetimeFieldsToTimestamps.fromConfiguration(id, jobConfiguration)
                    .orElse(null);
        }
        return known.get(id);
    }
}
