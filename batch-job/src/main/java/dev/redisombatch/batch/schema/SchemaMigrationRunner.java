package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.results.SchemaResults;
import dev.redisombatch.batch.state.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * Applies or rolls back one schema migration ({@link SchemaMigrationLauncher}), or in a dry run lists the exact
 * commands it would send, and says how it ended: what {@link SchemaApplyCommand} and {@link SchemaRollbackCommand}
 * share.
 */
final class SchemaMigrationRunner {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrationRunner.class);

    private final SchemaMigrations migrations;
    private final Supplier<BatchInfrastructure> batch;

    /** @param batch opens the job repository, or gives the one open; not asked in a dry run */
    SchemaMigrationRunner(SchemaMigrations migrations, Supplier<BatchInfrastructure> batch) {
        this.migrations = migrations;
        this.batch = batch;
    }

    SchemaResults.Outcome run(
            SearchCommands search, SchemaMigrationFile migration, Direction direction, boolean dryRun) {
        ReplaceMode mode =
                migrations.settings().modeOverride().or(migration::mode).orElse(ReplaceMode.ZERO_DOWNTIME);
        String what = direction == Direction.APPLY ? "applying" : "rolling back";
        if (dryRun) {
            List<String> commands = new ArrayList<>();
            commands.add("# " + what + " " + migration.id() + " on " + migration.index() + " (" + mode.cliName()
                    + "), dry run: these commands would be sent");
            replacement(search, commands::add).replace(migration.index(), migration.target(direction), mode);
            return new SchemaResults.Outcome(
                    migration.id(), migration.index(), direction, mode.cliName(), "dry run", commands, null);
        }
        // Opened outside the try below: a job repository that cannot be opened fails the command, as it did when
        // the caller opened it.
        BatchInfrastructure repository = batch.get();
        log.info("{} schema migration {} on index {} ({})", what, migration.id(), migration.index(), mode.cliName());
        RedisOmBatchException failure;
        String status;
        try {
            JobExecution execution = new SchemaMigrationLauncher(
                            repository, migrations.applied(), migrations.indexKeys())
                    .run(migration, direction, mode, replacement(search, null), search.target());
            status = execution.getStatus() == BatchStatus.COMPLETED
                    ? (direction == Direction.APPLY ? "applied" : "rolled back")
                    : execution.getStatus().toString();
            failure = execution.getStatus() == BatchStatus.COMPLETED
                    ? null
                    : execution.getAllFailureExceptions().stream()
                            .findFirst()
                            .map(Failures::classify)
                            .orElseGet(() -> new RedisOmBatchException(
                                    Failure.INTERRUPTED,
                                    migration.id() + ": " + what + " ended " + execution.getStatus()));
        } catch (Exception e) {
            failure = Failures.classify(e);
            status = "FAILED";
        }
        failure = migrations.stop().reclassify(failure);
        if (failure == null) {
            log.info("{}: {}", migration.id(), status);
        }
        return new SchemaResults.Outcome(
                migration.id(),
                migration.index(),
                direction,
                mode.cliName(),
                failure == null ? status : failure.failure() == Failure.STOPPED ? "STOPPED" : "FAILED",
                List.of(),
                failure);
    }

    private IndexReplacement replacement(SearchCommands search, Consumer<String> dryRunOutput) {
        return new IndexReplacement(
                search,
                new IndexBuildWait(
                        search,
                        migrations.settings().waitTimeout(),
                        migrations.progressInterval(),
                        migrations.stop()::isRequested),
                dryRunOutput);
    }
}
