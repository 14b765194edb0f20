package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.data.DataMigrationRun;
import dev.redisombatch.batch.data.DocumentChange;
import dev.redisombatch.batch.data.DocumentRejectedException;
import dev.redisombatch.batch.data.ErrorBudget;
import dev.redisombatch.batch.data.SkippedKeyLog;
import dev.redisombatch.batch.plan.AppliedMigrations;
import dev.redisombatch.batch.plan.MigrationCatalog;
import dev.redisombatch.batch.plan.MigrationPlanner;
import dev.redisombatch.batch.plan.PlanException;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;

/** {@code --job=migrateData}: plans the pending data migrations and runs them in order, stopping at a failure. */
final class MigrateDataCommand {

    private static final Logger log = LoggerFactory.getLogger(MigrateDataCommand.class);

    private final CommandLineOptions options;
    private final RedisEndpoint redis;
    private final DataMigrationLauncher launcher;
    private final AppliedMigrations applied;

    MigrateDataCommand(CommandLineOptions options, RedisEndpoint redis, DataMigrationLauncher launcher,
            AppliedMigrations applied) {
        this.options = options;
        this.redis = redis;
        this.launcher = launcher;
        this.applied = applied;
    }

    ExitCode run() throws Exception {
        List<DataMigration> pending;
        Set<String> appliedIds;
        try {
            Map<String, DataMigration> known = MigrationCatalog.discover(builtIns(), options.migrationJars(),
                    getClass().getClassLoader());
            appliedIds = applied.ids();
            pending = MigrationPlanner.pending(known, appliedIds);
            log.info("{} data migration(s) known, {} pending{}", known.size(), pending.size(),
                    pending.isEmpty() ? "" : ": " + pending.stream().map(DataMigration::id).toList());
        } catch (IllegalArgumentException e) {
            log.error("{}", e.getMessage());
            return ExitCode.USAGE;
        } catch (PlanException e) {
            log.error("cannot plan the migrations: {}", e.getMessage());
            return ExitCode.PLAN;
        }
        if (pending.isEmpty()) {
            log.info("nothing pending on {}", redis.target());
            return ExitCode.SUCCESS;
        }
        DataMigrationRun.Factory runs = new DataMigrationRun.Factory(redis, options.dataStepSettings(),
                new ErrorBudget(options.maxErrors()));
        Set<String> done = new HashSet<>(appliedIds);
        int started = 0;
        for (DataMigration migration : pending) {
            if (started == options.limit()) {
                log.info("--limit={} reached; {} migration(s) still pending", options.limit(),
                        pending.size() - started);
                break;
            }
            List<String> waitingFor = MigrationPlanner.unappliedDependencies(migration, done);
            if (!waitingFor.isEmpty()) {
                log.warn("{}: skipped, stays pending: waits for {}", migration.id(), waitingFor);
                continue;
            }
            if (!canRun(migration)) {
                continue;
            }
            started++;
            DataMigrationLauncher.Outcome outcome = launcher.run(migration, runs);
            JobExecution execution = outcome.execution();
            report(migration, outcome);
            if (execution.getStatus() != BatchStatus.COMPLETED) {
                return exitCodeOf(execution);
            }
            done.add(migration.id());
        }
        return ExitCode.SUCCESS;
    }

    private List<DataMigration> builtIns() {
        if (options.datetimeKeys().isEmpty()) {
            return List.of();
        }
        return List.of(new DatetimeFieldsToTimestamps(options.datetimeKeys(), options.datetimeFields(),
                options.datetimeZone()));
    }

    private static boolean canRun(DataMigration migration) {
        try {
            if (migration.canRun()) {
                return true;
            }
            log.warn("{}: skipped, stays pending: canRun() is false", migration.id());
        } catch (RuntimeException e) {
            log.warn("{}: skipped, stays pending: canRun() failed: {}", migration.id(), e.toString());
        }
        return false;
    }

    private void report(DataMigration migration, DataMigrationLauncher.Outcome launched) {
        JobExecution execution = launched.execution();
        long read = 0;
        long changed = 0;
        long unchanged = 0;
        long skipped = 0;
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStepName().contains(":partition:")) {
                read += step.getReadCount();
                changed += step.getWriteCount();
                unchanged += step.getFilterCount();
                skipped += step.getSkipCount();
            }
        }
        boolean dryRun = options.dataStepSettings().dryRun();
        String outcome = execution.getStatus() == BatchStatus.COMPLETED
                ? (dryRun ? "dry run complete" : "applied") : execution.getStatus().toString();
        log.info("{}: {} (execution {}): {} read, {} {}, {} unchanged, {} skipped{}", migration.id(), outcome,
                execution.getId(), read, changed, dryRun ? "would change" : "changed", unchanged, skipped,
                skipped > 0 ? " (XRANGE " + SkippedKeyLog.streamKey(migration.id()) + " - + lists them)" : "");
        if (dryRun) {
            for (DocumentChange example : launched.examples()) {
                Document after = example.change().applyTo(example.before());
                log.info("  e.g. {}: {} -> {}", example.key(), example.before().fields(),
                        after == null ? "deleted" : after.fields());
            }
        }
        for (String failure : failures(execution)) {
            log.error("{}: {}", migration.id(), failure);
        }
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            log.error("{}: run the same command again to resume from the last checkpoint", migration.id());
        }
    }

    private static Set<String> failures(JobExecution execution) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable failure : execution.getAllFailureExceptions()) {
            messages.add(RedisFailures.describe(failure));
        }
        return messages;
    }

    private static ExitCode exitCodeOf(JobExecution execution) {
        for (Throwable failure : execution.getAllFailureExceptions()) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof SkipLimitExceededException || t instanceof DocumentRejectedException
                        || t instanceof ErrorBudget.ErrorBudgetExhaustedException) {
                    return ExitCode.DATA_ERRORS;
                }
            }
        }
        return ExitCode.JOB_FAILED;
    }
}
