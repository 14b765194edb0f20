package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.command.Confirmation;
import dev.redisombatch.batch.command.RedisOmBatch;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.results.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which {@link RedisOmBatch} command each job ({@code --job}) is; the result it returns says how it ended. */
final class CommandDispatch {

    private static final Logger log = LoggerFactory.getLogger(CommandDispatch.class);

    private CommandDispatch() {}

    /** @param terminal where {@code migrateData} may ask before writing; null when there is none */
    static Result run(Settings settings, StopSignal stop, Terminal terminal) throws Exception {
        JobOptions job = settings.job();
        if (job.job() == JobOptions.Job.create) {
            return RedisOmBatch.create(job.dir(), job.name());
        }
        RedisOmBatch tool = new RedisOmBatch(settings.configuration(), stop);
        Result result = null;
        try {
            result = run(
                    job,
                    tool,
                    MigratePrompt.forRun(
                            terminal, job.yes(), settings.configuration().data().dryRun()));
            return result;
        } finally {
            closeReportingOnce(tool, result);
        }
    }

    /**
     * Closing releases the lock, which can fail too (a user without scripting). Then the run's own failure, if it
     * had one, is what the operator needs to read first; the release failure is said as well, but only replaces a
     * success.
     */
    private static void closeReportingOnce(RedisOmBatch tool, Result result) {
        try {
            tool.close();
        } catch (RedisOmBatchException closing) {
            if (result == null || result.failure() != null) {
                log.warn("{}", closing.getMessage());
                return;
            }
            throw closing;
        }
    }

    private static Result run(JobOptions job, RedisOmBatch tool, Confirmation confirmation) throws Exception {
        return switch (job.job()) {
            case migrateData -> tool.migrate(confirmation);
            case migrateSchema ->
                switch (job.command()) {
                    case status -> tool.schemaStatus();
                    case run -> tool.migrateSchema();
                    case create -> tool.createSchemaMigration(job.name());
                    case rollback -> tool.rollbackSchema(job.migration());
                };
            case status -> tool.status(job.detailed());
            case verify -> tool.verify(job.checkData(), job.sampleSize());
            case rollback -> tool.rollback(job.migration());
            case stamp -> tool.stamp(job.all() ? null : job.migration());
            case repair -> tool.repair(job.abandon(), job.checksums());
            case generateDemoData -> tool.generateDemoData(job.model(), job.count(), job.seed());
            case worker -> tool.worker();
            case create -> throw new IllegalStateException("handled above");
        };
    }

    /** A result that did not get all the way, or a check that found something, as the failure it stands for. */
    static void throwFailureOf(Settings settings, Result result) {
        RedisOmBatchException failure = result.exitFailure(settings.job().check());
        if (failure != null) {
            throw failure;
        }
    }
}
