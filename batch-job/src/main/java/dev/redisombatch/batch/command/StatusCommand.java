package dev.redisombatch.batch.command;

import dev.redisombatch.batch.copy.CopyChecks;
import dev.redisombatch.batch.copy.CopyMark;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.ops.RunLease;
import dev.redisombatch.batch.plan.AppliedRecord;
import dev.redisombatch.batch.results.Results;
import dev.redisombatch.batch.results.SchemaResults;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.migration.DataMigration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code status}: applied and pending data migrations, the runs that did not finish (and whether they can still be
 * resumed), and the schema migrations with their indexes' drift. Read-only: it takes no lock.
 */
final class StatusCommand {

    private final Configuration configuration;
    private final Resources resources;

    StatusCommand(Configuration configuration, Resources resources) {
        this.configuration = configuration;
        this.resources = resources;
    }

    Results.Status run(boolean detailed, SchemaResults.Status schema) {
        if (configuration.copy().targetUrl() != null) {
            // As verify and migrateData: a target that cannot be reached, or is the source, named as such (exit 2).
            new CopyChecks(resources.copySource(), resources.redis()).refuseSourceAsTarget();
        }
        AppliedState applied = new AppliedState(resources.redis(), MigrationKind.DATA);
        KnownMigrations migrations = KnownMigrations.read(configuration.plan(), configuration.datetime(), applied);
        List<Results.UnfinishedRun> unfinished = List.of();
        String jobRepositoryInUse = null;
        try {
            unfinished = new RepairCommand(configuration, resources).unfinished();
        } catch (RuntimeException refused) {
            if (Failures.classify(refused).failure() != Failure.LOCKED) {
                throw refused;
            }
            // An H2 file admits one process at a time: while a run holds it, what Redis says is all there is.
            String holder = resources.redis().call("GET " + RunLease.KEY, commands -> commands.get(RunLease.KEY));
            jobRepositoryInUse = "the job repository (an H2 file) is held by a run in progress"
                    + (holder == null ? "" : " (" + holder + ")") + ", so unfinished runs are not shown; its log"
                    + " shows its progress (a PostgreSQL job repository can be read while a run goes on)";
        }
        Set<String> ids = new TreeSet<>(migrations.applied());
        ids.addAll(migrations.known().keySet());
        List<Results.DataMigrationState> states = new ArrayList<>();
        for (String id : ids) {
            DataMigration migration = migrations.known().get(id);
            boolean isApplied = migrations.applied().contains(id);
            Map<String, String> fields = isApplied ? applied.record(id) : Map.of();
            AppliedRecord record = fields.isEmpty() ? null : AppliedRecord.parse(fields);
            String state = isApplied
                    ? "applied"
                    : unfinished.stream()
                            .filter(run -> run.kind().equals("data")
                                    && run.migrationId().equals(id)
                                    && run.resumable())
                            .findFirst()
                            .map(run -> run.status().toLowerCase(Locale.ROOT))
                            .orElse("pending");
            boolean codeChanged = record != null && migrations.changeSinceApplied(id, applied) != null;
            Results.Details details = detailed && migration != null
                    ? new Results.Details(
                            migration.description(),
                            migration.dependencies(),
                            MigrateCommand.cannotRun(migration) == null,
                            migration.down().isPresent())
                    : null;
            states.add(new Results.DataMigrationState(
                    id, state, record, isApplied && record == null, codeChanged, migration != null, details));
        }
        List<String> pending =
                migrations.pending().stream().map(DataMigration::id).sorted().toList();
        return new Results.Status(
                resources.redis().target(),
                states,
                pending,
                unfinished,
                jobRepositoryInUse,
                schema,
                CopyMark.heldBy(resources.redis()));
    }
}
