package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.results.SchemaResults;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pending schema migrations of one run, each applied as soon as its {@link SchemaSchedule} allows: at the start
 * when it waits for no data migration, else right after the data migration it waits for is applied. The first that
 * does not complete ends it; those still waiting when the run ends stay pending, and {@link #result} says why.
 */
public final class ScheduledSchemaRun {

    private static final Logger log = LoggerFactory.getLogger(ScheduledSchemaRun.class);

    private final SchemaApplyCommand command;
    private final SchemaMigrationRunner runner;
    private final boolean dryRun;
    private final int limit;
    private final StopSignal stop;
    private final SchemaSchedule schedule;
    private final List<SchemaResults.Outcome> outcomes = new ArrayList<>();
    private RedisOmBatchException failure;

    ScheduledSchemaRun(
            SchemaApplyCommand command,
            SchemaMigrationRunner runner,
            boolean dryRun,
            int limit,
            StopSignal stop,
            SchemaSchedule schedule) {
        this.command = command;
        this.runner = runner;
        this.dryRun = dryRun;
        this.limit = limit;
        this.stop = stop;
        this.schedule = schedule;
    }

    /**
     * The data migration {@code id} was applied (or, in a dry run, would have been): applies the schema migrations
     * that waited for it.
     *
     * @return the failure that ended the schema migrations, or null
     */
    public RedisOmBatchException afterData(String id) {
        schedule.dataApplied(id);
        return runReady();
    }

    /** Why the schema migrations stopped short; null while they did not. */
    public RedisOmBatchException failure() {
        return failure;
    }

    public SchemaResults.Run result() {
        return new SchemaResults.Run(List.copyOf(outcomes), schedule.pendingCount(), schedule.waiting(), failure);
    }

    RedisOmBatchException runReady() {
        List<SchemaMigrationFile> ready = schedule.ready();
        if (failure != null || ready.isEmpty() || limitReached()) {
            return failure;
        }
        try (SearchCommands search = command.openSearch()) {
            for (SchemaMigrationFile migration : ready) {
                if (limitReached()) {
                    log.info(
                            "--limit={} reached; {} schema migration(s) still pending", limit, schedule.pendingCount());
                    return null;
                }
                failure = stop.stoppedBefore(migration.id());
                if (failure != null) {
                    return failure;
                }
                SchemaResults.Outcome outcome = command.apply(runner, search, migration, dryRun);
                outcomes.add(outcome);
                if (outcome.failure() != null) {
                    failure = outcome.failure();
                    return failure;
                }
                schedule.done(migration);
            }
        }
        return null;
    }

    private boolean limitReached() {
        return outcomes.size() == limit;
    }
}
