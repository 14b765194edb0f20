package dev.redisombatch.batch.command;

import dev.redisombatch.batch.data.DataMigrationOutcome;
import dev.redisombatch.batch.data.step.DataCheck;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.plan.AppliedRecord;
import dev.redisombatch.batch.schema.SchemaResults;
import java.time.LocalDateTime;
import java.util.List;

/** What the commands of {@link RedisOmBatch} return; the command line renders them as text or JSON. */
public final class Results {

    private Results() {
    }

    /**
     * {@code migrateData}: the schema migrations, then the data migrations, each as it ended.
     *
     * @param waiting pending data migrations not run, each with why (a dependency, {@code canRun()}, {@code --limit})
     * @param failure why the run stopped short; null when everything pending ran
     */
    public record Migrate(String redis, boolean dryRun, SchemaResults.Run schema, List<DataMigrationOutcome> data,
            List<String> waiting, RedisOmBatchException failure) {
    }

    /** {@code rollback}: the migration's down run. */
    public record Rollback(String redis, DataMigrationOutcome outcome, RedisOmBatchException failure) {
    }

    /**
     * The state of one data migration.
     *
     * @param state {@code applied}, {@code pending}, or the status of its unfinished run ({@code failed},
     *        {@code stopped}, {@code started})
     * @param record our record of its application; null when not applied, or applied by another tool
     * @param codeChanged applied, and its code (checksum) or, for a built-in, its configuration changed since
     * @param known its code is on the classpath or in {@code --migrations.jars}
     */
    public record DataMigrationState(String id, String state, AppliedRecord record, boolean appliedByAnotherTool,
            boolean codeChanged, boolean known, Details details) {
    }

    /** With {@code --detailed}: what the migration says of itself. */
    public record Details(String description, List<String> dependencies, boolean canRun, boolean hasDown) {
    }

    /**
     * A run that did not finish, data or schema.
     *
     * @param resumable it belongs to the migration's current generation, so the same command continues it
     */
    public record UnfinishedRun(String kind, String migrationId, String mode, long generation, long executionId,
            String status, LocalDateTime started, int partitionsComplete, int partitions, double fractionWalked,
            boolean resumable) {
    }

    /** {@code status}: data and schema migrations and the runs that did not finish. */
    public record Status(String redis, List<DataMigrationState> data, List<String> pending,
            List<UnfinishedRun> unfinished, String jobRepositoryInUse, SchemaResults.Status schema) {

        /**
         * Something pending, edited, drifted or unfinished (a run to resume, perhaps of a migration whose options
         * were not given), or a run in progress: what {@code --check} gates on.
         */
        public boolean needsAttention() {
            return !pending.isEmpty() || data.stream().anyMatch(DataMigrationState::codeChanged)
                    || unfinished.stream().anyMatch(UnfinishedRun::resumable) || jobRepositoryInUse != null
                    || (schema != null && schema.needsAttention());
        }
    }

    /**
     * One applied migration checked by {@code verify}.
     *
     * @param checksum {@code matches}, {@code changed}, {@code none recorded} or {@code no code}
     * @param data with {@code --check-data}: what a pass over its keys found; else null
     */
    public record Verified(String id, String checksum, String recordedChecksum, String currentChecksum,
            DataCheck.Result data) {

        public boolean clean() {
            return !checksum.equals("changed") && (data == null || data.clean());
        }
    }

    /** {@code verify}. */
    public record Verify(String redis, List<Verified> migrations) {

        public long problems() {
            return migrations.stream().filter(verified -> !verified.clean()).count();
        }
    }

    /** {@code stamp}: the migrations marked applied without running. */
    public record Stamp(List<String> stamped, List<String> alreadyApplied) {
    }

    /** {@code repair}: the unfinished runs, and how many were marked abandoned. */
    public record Repair(List<UnfinishedRun> unfinished, int abandoned, List<RepairedChecksum> checksums) {
    }

    /** {@code repair --checksums}: an applied migration whose recorded checksum now is the code's at hand. */
    public record RepairedChecksum(String id, String before, String after) {
    }

    /** {@code create}: the new migration and the files written. */
    public record Create(String id, String source, String registration, String project, String installedApi) {
    }

    /** {@code generateDemoData}. */
    public record Demo(long written, String keyPattern, double seconds) {
    }

    /** {@code worker}: the partitions it ran, by how they ended, and the requests it dropped (no longer running). */
    public record Worker(String target, int completed, int notCompleted, int dropped) {
    }
}
