package dev.redisombatch.batch.command;

import dev.redisombatch.batch.data.MigrationExecutions;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.RunHistory;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.MigrationKind;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;

/**
 * {@code repair}: the runs that did not finish, data and schema, each with whether the same command can still resume
 * it; with {@code --abandon}, they are marked ABANDONED (as Flyway's repair clears failed entries), so that none is
 * ever resumed and {@code status} no longer lists them.
 */
final class RepairCommand {

    private static final Logger log = LoggerFactory.getLogger(RepairCommand.class);
    static final String SCHEMA_JOB = "migrateSchema";

    private final Resources resources;

    RepairCommand(Resources resources) {
        this.resources = resources;
    }

    /** Every unfinished run, data first, newest first within each kind. */
    List<Results.UnfinishedRun> unfinished() {
        BatchInfrastructure batch = resources.batch();
        AppliedState data = new AppliedState(resources.redis(), MigrationKind.DATA);
        AppliedState schema = new AppliedState(resources.redis(), MigrationKind.SCHEMA);
        List<Results.UnfinishedRun> runs = new ArrayList<>();
        for (MigrationExecutions.UnfinishedRun run : new MigrationExecutions(batch.jobRepository()).unfinished()) {
            runs.add(new Results.UnfinishedRun("data", run.identity().migrationId(), run.identity().mode(),
                    run.identity().generation(), run.executionId(), run.status(), run.started(),
                    run.partitionsComplete(), run.partitions(), run.fractionWalked(),
                    run.identity().generation() == data.generation(run.identity().migrationId())));
        }
        for (RunHistory.Unfinished run : RunHistory.unfinished(batch.jobRepository(), SCHEMA_JOB)) {
            JobExecution execution = run.execution();
            runs.add(new Results.UnfinishedRun("schema", run.identity().migrationId(), run.identity().mode(),
                    run.identity().generation(), execution.getId(), execution.getStatus().toString(),
                    execution.getStartTime(), 0, 1, 0,
                    run.identity().generation() == schema.generation(run.identity().migrationId())));
        }
        return runs;
    }

    Results.Repair run(boolean abandon) throws Exception {
        List<Results.UnfinishedRun> runs = unfinished();
        int abandoned = 0;
        if (abandon) {
            BatchInfrastructure batch = resources.batch();
            for (Results.UnfinishedRun run : runs) {
                JobExecution execution = batch.jobRepository().getJobExecution(run.executionId());
                if (execution.isRunning()) {
                    // Left STARTED by a killed process (the lock this command holds rules out a live one).
                    execution = batch.jobOperator().recover(execution);
                }
                batch.jobOperator().abandon(execution);
                log.info("abandoned execution {} of {} ({}, generation {})", run.executionId(), run.migrationId(),
                        run.mode(), run.generation());
                abandoned++;
            }
        }
        return new Results.Repair(runs, abandoned);
    }
}
