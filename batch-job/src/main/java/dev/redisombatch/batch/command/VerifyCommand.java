package dev.redisombatch.batch.command;

import dev.redisombatch.batch.copy.CopiedKeys;
import dev.redisombatch.batch.copy.CopyChecks;
import dev.redisombatch.batch.copy.CopyComparison;
import dev.redisombatch.batch.copy.CopyMark;
import dev.redisombatch.batch.data.step.DataCheck;
import dev.redisombatch.batch.plan.MigrationChecksum;
import dev.redisombatch.batch.results.CopyComparisonFindings;
import dev.redisombatch.batch.results.DataCheckFindings;
import dev.redisombatch.batch.results.Results;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.migration.DataMigration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code verify}: applied migrations whose code changed since (by checksum; a built-in, by its configuration), and with {@code --check-data} the
 * documents that applied migrations would still change or reject. Read-only.
 *
 * <p>With {@code --target.url} (a copy's target), the checksums are the target's migrations', and {@code --check-data}
 * compares the target with the source ({@link CopyComparison}) instead of checking the target's documents alone: a
 * document the target holds as the migrations make it of the source's is one they would not change.
 */
final class VerifyCommand {

    private final Configuration configuration;
    private final Resources resources;

    VerifyCommand(Configuration configuration, Resources resources) {
        this.configuration = configuration;
        this.resources = resources;
    }

    /** @param sample documents to look at per key pattern (source keys per master, comparing a copy); {@code Long.MAX_VALUE} for all */
    Results.Verify run(boolean checkData, long sample) {
        boolean copy = configuration.copy().targetUrl() != null;
        if (copy) {
            new CopyChecks(resources.copySource(), resources.redis()).refuseSourceAsTarget();
        }
        AppliedState applied = new AppliedState(resources.redis(), MigrationKind.DATA);
        KnownMigrations migrations = KnownMigrations.read(configuration.plan(), configuration.datetime(), applied);
        List<Results.Verified> verified = new ArrayList<>();
        for (String id : new TreeSet<>(migrations.applied())) {
            DataMigration migration = migrations.known().get(id);
            if (migration == null) {
                verified.add(new Results.Verified(id, "no code", null, null, null));
                continue;
            }
            String recorded = applied.record(id).get("checksum");
            String current = MigrationChecksum.of(migration);
            String checksum = recorded == null
                    ? "none recorded"
                    : migrations.changeSinceApplied(id, applied) == null ? "matches" : "changed";
            DataCheckFindings data = checkData && !copy
                    ? DataCheck.run(
                            migration, resources.redis(), configuration.data().scanCount(), sample)
                    : null;
            verified.add(new Results.Verified(id, checksum, recorded, current, data));
        }
        CopyComparisonFindings comparison = checkData && copy
                ? CopyComparison.run(
                        resources.copySource(),
                        resources.redis(),
                        migrations.appliedInPlanOrder(),
                        CopiedKeys.of(CopyMark.keysCopiedTo(resources.redis()), migrations.selectors()),
                        configuration.data().scanCount(),
                        sample)
                : null;
        return new Results.Verify(resources.redis().target(), verified, comparison);
    }
}
