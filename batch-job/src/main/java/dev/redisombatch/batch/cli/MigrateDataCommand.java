package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.data.DataMigrationRun;
import dev.redisombatch.batch.plan.MigrationPlanner;
import dev.redisombatch.migration.DataMigration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/** {@code --job=migrateData}: plans the pending data migrations and runs them in order, stopping at a failure. */
final class MigrateDataCommand {

    private static final Logger log = LoggerFactory.getLogger(MigrateDataCommand.class);

    private final CommandLineOptions options;
    private final DataMigrationLauncher launcher;
    private final DataMigrationRun.Factory runs;

    MigrateDataCommand(CommandLineOptions options, DataMigrationLauncher launcher, DataMigrationRun.Factory runs) {
        this.options = options;
        this.launcher = launcher;
        this.runs = runs;
    }

    ExitCode run(Map<String, DataMigration> known, Set<String> applied) throws Exception {
        List<DataMigration> pending = MigrationPlanner.pending(known, applied);
        log.info("{} data migration(s) known, {} pending{}", known.size(), pending.size(),
                pending.isEmpty() ? "" : ": " + pending.stream().map(DataMigration::id).toList());
        if (pending.isEmpty()) {
            log.info("nothing pending on {}", runs.redis().target());
            return ExitCode.SUCCESS;
        }
        Set<String> done = new HashSet<>(applied);
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
            if (runs.stop().isRequested()) {
                return ExitCode.STOPPED;
            }
            started++;
            DataMigrationLauncher.Outcome outcome = launcher.run(migration, DataMigrationRun.Direction.APPLY, runs);
            JobExecution execution = outcome.execution();
            RunReport.log(migration.id(), "applied", options.dryRun(), outcome);
            if (execution.getStatus() != BatchStatus.COMPLETED) {
                return RunReport.exitCodeOf(execution);
            }
            done.add(migration.id());
        }
        return ExitCode.SUCCESS;
    }

    static boolean canRun(DataMigration migration) {
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
}
