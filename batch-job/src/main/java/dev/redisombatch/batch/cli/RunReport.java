package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.data.DocumentChange;
import dev.redisombatch.batch.data.DocumentRejectedException;
import dev.redisombatch.batch.data.ErrorBudget;
import dev.redisombatch.batch.data.PartitionTotals;
import dev.redisombatch.batch.data.SkippedKeyLog;
import dev.redisombatch.migration.Document;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;

/** The summary of one migration's execution, and the exit code it stands for. */
final class RunReport {

    private static final Logger log = LoggerFactory.getLogger(RunReport.class);

    private RunReport() {
    }

    /** Logs counts, dry-run examples and failures, one line each. */
    static void log(String migrationId, String verb, boolean dryRun, DataMigrationLauncher.Outcome outcome) {
        JobExecution execution = outcome.execution();
        PartitionTotals totals = PartitionTotals.of(List.of(execution), migrationId);
        String outcomeText = execution.getStatus() == BatchStatus.COMPLETED
                ? (dryRun ? "dry run complete" : verb) : execution.getStatus().toString();
        log.info("{}: {} (execution {}): {} read, {} {}, {} unchanged, {} skipped{}", migrationId, outcomeText,
                execution.getId(), totals.read(), totals.changed(), dryRun ? "would change" : "changed",
                totals.unchanged(), totals.skipped(),
                totals.skipped() > 0 ? " (XRANGE " + SkippedKeyLog.streamKey(migrationId) + " - + lists them)" : "");
        for (DocumentChange example : outcome.examples()) {
            Document after = example.change().applyTo(example.before());
            log.info("  e.g. {}: {} -> {}", example.key(), example.before().fields(),
                    after == null ? "deleted" : after.fields());
        }
        Set<String> failures = new LinkedHashSet<>();
        execution.getAllFailureExceptions().forEach(failure -> failures.add(RedisFailures.describe(failure)));
        failures.forEach(failure -> log.error("{}: {}", migrationId, failure));
        if (execution.getStatus() == BatchStatus.STOPPED) {
            log.warn("{}: stopped at a chunk boundary with its checkpoint saved; run the same command again to"
                    + " resume", migrationId);
        } else if (execution.getStatus() != BatchStatus.COMPLETED) {
            log.error("{}: run the same command again to resume from the last checkpoint", migrationId);
        }
    }

    static ExitCode exitCodeOf(JobExecution execution) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return ExitCode.SUCCESS;
        }
        if (execution.getStatus() == BatchStatus.STOPPED) {
            return ExitCode.STOPPED;
        }
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
