package dev.redisombatch.batch.command;

import dev.redisombatch.batch.data.LiveExecutions;
import dev.redisombatch.batch.data.MigrationExecutions;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.ResumableInstance;
import dev.redisombatch.batch.jobs.RunHistory;
import dev.redisombatch.batch.plan.ConfiguredMigration;
import dev.redisombatch.batch.plan.MigrationChecksum;
import dev.redisombatch.batch.results.Results;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.state.RanBy;
import dev.redisombatch.migration.DataMigration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;

/**
 * {@code repair}: the runs that did not finish, data and schema, each with whether the same command can still resume
 * it; with {@code --abandon}, they are marked ABANDONED (as Flyway's repair clears failed entries), so that none is
 * ever resumed and {@code status} no longer lists them. With {@code --checksums}, applied data migrations whose code
 * changed since are re-baselined to the code at hand (as Flyway's repair realigns checksums): the operator says the
 * change is deliberate, and runs stop refusing it as edited.
 */
final class RepairCommand {

    private static final Logger log = LoggerFactory.getLogger(RepairCommand.class);
    static final String SCHEMA_JOB = "migrateSchema";
    private static final String NOT_THIS_GENERATION =
            "cannot be resumed (the migration changed state since); --job=repair --abandon clears it";

    private final Configuration configuration;
    private final Resources resources;

    RepairCommand(Configuration configuration, Resources resources) {
        this.configuration = configuration;
        this.resources = resources;
    }

    /** Every unfinished run, data first, newest first within each kind. */
    List<Results.UnfinishedRun> unfinished() {
        BatchInfrastructure batch = resources.batch();
        AppliedState data = new AppliedState(resources.redis(), MigrationKind.DATA);
        AppliedState schema = new AppliedState(resources.redis(), MigrationKind.SCHEMA);
        List<Results.UnfinishedRun> runs = new ArrayList<>();
        List<MigrationExecutions.UnfinishedRun> dataRuns = new MigrationExecutions(batch.jobRepository()).unfinished();
        // As the next run decides (ResumableInstance): a run of an earlier generation, or over data this Redis no
        // longer holds (flushed, restored or replaced since its dataset token was set), is not resumed.
        String dataset =
                dataRuns.isEmpty() ? null : resources.redis().topology().dataset();
        LiveExecutions live = new LiveExecutions(configuration.lock().ttl());
        for (MigrationExecutions.UnfinishedRun run : dataRuns) {
            // Only a dry run may be walking unseen: a real run holds the lock, which this command takes to abandon,
            // and whose expiry decides when a killed one is taken over.
            String inProgress = null;
            if (run.identity().dryRun()) {
                JobExecution execution = batch.jobRepository().getJobExecution(run.executionId());
                inProgress = RunHistory.markedRunning(execution)
                        ? live.whyMaybeRunning(execution, RunHistory.lastSignOfLife(execution))
                        : null;
            }
            String whyNot = null;
            if (run.identity().generation() != data.generation(run.identity().migrationId())) {
                whyNot = NOT_THIS_GENERATION;
            } else if (run.identity().target().equals(resources.redis().target())) {
                String why = ResumableInstance.whyNotResumable(run.identity(), dataset);
                whyNot = why == null
                        ? null
                        : "will not be resumed: " + why + "; the next run abandons it and walks every slice from the"
                                + " start";
            }
            runs.add(new Results.UnfinishedRun(
                    "data",
                    run.identity().migrationId(),
                    run.identity().mode(),
                    run.identity().generation(),
                    run.executionId(),
                    run.status(),
                    run.started(),
                    run.partitionsComplete(),
                    run.partitions(),
                    run.fractionWalked(),
                    whyNot == null,
                    whyNot,
                    inProgress));
        }
        for (RunHistory.Unfinished run : RunHistory.unfinished(batch.jobRepository(), SCHEMA_JOB)) {
            JobExecution execution = run.execution();
            boolean resumable = run.identity().generation()
                    == schema.generation(run.identity().migrationId());
            runs.add(new Results.UnfinishedRun(
                    "schema",
                    run.identity().migrationId(),
                    run.identity().mode(),
                    run.identity().generation(),
                    execution.getId(),
                    execution.getStatus().toString(),
                    execution.getStartTime(),
                    0,
                    1,
                    0,
                    resumable,
                    resumable ? null : NOT_THIS_GENERATION,
                    null));
        }
        return runs;
    }

    Results.Repair run(boolean abandon, boolean checksums) throws Exception {
        List<Results.RepairedChecksum> repaired = checksums ? repairChecksums() : List.of();
        List<Results.UnfinishedRun> runs = unfinished();
        int abandoned = 0;
        if (abandon) {
            BatchInfrastructure batch = resources.batch();
            for (Results.UnfinishedRun run : runs) {
                if (run.inProgress() != null) {
                    // A dry run holds no lock: its process goes on walking, and its end is its own to record.
                    log.warn(
                            "not abandoning execution {} of {} ({}): it {}",
                            run.executionId(),
                            run.migrationId(),
                            run.mode(),
                            run.inProgress());
                    continue;
                }
                JobExecution execution = batch.jobRepository().getJobExecution(run.executionId());
                if (execution.isRunning()) {
                    // Left STARTED by a process that is gone: the lock this command holds rules out a live run,
                    // and a live dry run is left alone above.
                    execution = batch.jobOperator().recover(execution);
                }
                batch.jobOperator().abandon(execution);
                log.info(
                        "abandoned execution {} of {} ({}, generation {})",
                        run.executionId(),
                        run.migrationId(),
                        run.mode(),
                        run.generation());
                abandoned++;
            }
        }
        return new Results.Repair(runs, abandoned, repaired);
    }

    /**
     * Records the checksum of the code at hand for every applied data migration whose code changed since, keeping
     * the one it replaces, when and by whom. A built-in's configuration is not re-baselined: it says what the
     * migration does to the data, so a changed configuration is another migration.
     */
    private List<Results.RepairedChecksum> repairChecksums() {
        AppliedState applied = new AppliedState(resources.redis(), MigrationKind.DATA);
        KnownMigrations migrations = KnownMigrations.read(configuration.plan(), configuration.datetime(), applied);
        List<Results.RepairedChecksum> repaired = new ArrayList<>();
        for (String id : new TreeSet<>(migrations.applied())) {
            DataMigration migration = migrations.known().get(id);
            if (migration == null || migrations.changeSinceApplied(id, applied) == null) {
                continue;
            }
            if (migration instanceof ConfiguredMigration) {
                log.warn(
                        "{}: its configuration changed since it was applied; repair does not re-baseline a built-in's"
                                + " configuration (it says what the migration does to the data)",
                        id);
                continue;
            }
            String before = applied.record(id).get("checksum");
            String after = MigrationChecksum.of(migration);
            applied.amendRecord(
                    id,
                    Map.of(
                            "checksum",
                            after,
                            "checksum_before_repair",
                            before,
                            "checksum_repaired_at",
                            Instant.now().toString(),
                            "checksum_repaired_by",
                            RanBy.describe()));
            log.info("{}: checksum re-baselined to the code at hand", id);
            repaired.add(new Results.RepairedChecksum(id, before, after));
        }
        return repaired;
    }
}
