package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.data.DocumentChange;
import dev.redisombatch.batch.data.DocumentRejectedException;
import dev.redisombatch.batch.data.ErrorBudget;
import dev.redisombatch.batch.data.SkippedKeyLog;
import dev.redisombatch.migration.Document;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;

/** The summary of one migration's execution, and the exit code it stands for. */
final class RunReport {

    private static final Logger log = LoggerFactory.getLogger(RunReport.class);

    private RunReport() {
    }

    /** Logs counts, dry-run examples and failures, one line each. */
    static void log(String migrationId, String verb, boolean dryRun, DataMigrationLauncher.Outcome outcome) {
        JobExecution execution = outcome.execution();
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
        String outcomeText = execution.getStatus() == BatchStatus.COMPLETED
                ? (dryRun ? "dry run complete" : verb) : execution.getStatus().toString();
        log.info("{}: {} (execution {}): {} read, {} {}, {} unchanged, {} skipped{}", migrationId, outcomeText,
                execution.getId(), read, changed, dryRun ? "would change" : "changed", unchanged, skipped,
                skipped > 0 ? " (XRANGE " + SkippedKeyLog.streamKey(migrationId) + " - + lists them)" : "");
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
