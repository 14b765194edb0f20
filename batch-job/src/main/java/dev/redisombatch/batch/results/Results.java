package dev.redisombatch.batch.results;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.plan.AppliedRecord;
import java.time.LocalDateTime;
import java.util.List;

/** What the commands of {@code RedisOmBatch} return; the command line renders them as text or JSON. */
public final class Results {

    private Results() {}

    /**
     * {@code migrateData}: the schema migrations, then the data migrations, each as it ended.
     *
     * @param copy the copy from the source to the target before the migrations ({@code --target.url}); null without
     *        one
     * @param waiting pending data migrations not run, each with why (a dependency, {@code canRun()}, {@code --limit})
     * @param follow how following the source's changes ended ({@code --follow}); null without
     * @param failure why the run stopped short; null when everything pending ran
     */
    public record Migrate(
            String redis,
            boolean dryRun,
            CopyOutcome copy,
            SchemaResults.Run schema,
            List<DataMigrationOutcome> data,
            List<String> waiting,
            FollowOutcome follow,
            RedisOmBatchException failure)
            implements Result {

        @Override
        public void renderWith(Renderer renderer) {
            renderer.migrate(this);
        }

        /** The same run, after following the source's changes ended as {@code followed}, and so {@code ended}. */
        public Migrate followed(FollowOutcome followed, RedisOmBatchException ended) {
            return new Migrate(redis, dryRun, copy, schema, data, waiting, followed, ended);
        }
    }

    /** {@code rollback}: the migration's down run. */
    public record Rollback(String redis, DataMigrationOutcome outcome, RedisOmBatchException failure)
            implements Result {

        @Override
        public void renderWith(Renderer renderer) {
            renderer.rollback(this);
        }
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
    public record DataMigrationState(
            String id,
            String state,
            AppliedRecord record,
            boolean appliedByAnotherTool,
            boolean codeChanged,
            boolean known,
            Details details) {}

    /** With {@code --detailed}: what the migration says of itself. */
    public record Details(String description, List<String> dependencies, boolean canRun, boolean hasDown) {}

    /**
     * A run that did not finish, data or schema.
     *
     * @param resumable it belongs to the migration's current generation and to the data Redis holds now, so the same
     *     command continues it
     * @param whyNotResumable why not, when it is not; null when it is
     * @param inProgress for a dry run left running, why it may still be running in the process it names ("is still
     *     running in ..."): the same command is refused while it is; null when its process is gone, and for other runs
     *     (the run lock tells of those)
     */
    public record UnfinishedRun(
            String kind,
            String migrationId,
            String mode,
            long generation,
            long executionId,
            String status,
            LocalDateTime started,
            int partitionsComplete,
            int partitions,
            double fractionWalked,
            boolean resumable,
            String whyNotResumable,
            String inProgress) {}

    /** {@code status}: data and schema migrations and the runs that did not finish. */
    public record Status(
            String redis,
            List<DataMigrationState> data,
            List<String> pending,
            List<UnfinishedRun> unfinished,
            String jobRepositoryInUse,
            SchemaResults.Status schema,
            CopyHeld copy)
            implements Result {

        /**
         * Something pending, edited, drifted or unfinished (a run to resume, perhaps of a migration whose options
         * were not given), or a run in progress: what {@code --check} gates on.
         */
        public boolean needsAttention() {
            return !pending.isEmpty()
                    || data.stream().anyMatch(DataMigrationState::codeChanged)
                    || unfinished.stream().anyMatch(UnfinishedRun::resumable)
                    || jobRepositoryInUse != null
                    || (schema != null && schema.needsAttention())
                    || (copy != null && !copy.complete());
        }

        @Override
        public void renderWith(Renderer renderer) {
            renderer.status(this);
        }

        @Override
        public RedisOmBatchException exitFailure(boolean check) {
            return check && needsAttention()
                    ? new RedisOmBatchException(
                            Failure.CHECK,
                            "status --check: " + pending.size()
                                    + " data migration(s) pending, or something edited or drifted")
                    : null;
        }
    }

    /**
     * One applied migration checked by {@code verify}.
     *
     * @param checksum {@code matches}, {@code changed}, {@code none recorded} or {@code no code}
     * @param data with {@code --check-data}: what a pass over its keys found; else null
     */
    public record Verified(
            String id, String checksum, String recordedChecksum, String currentChecksum, DataCheckFindings data) {

        public boolean clean() {
            return !checksum.equals("changed") && (data == null || data.clean());
        }
    }

    /**
     * {@code verify}.
     *
     * @param copy the comparison of a copy's target with its source ({@code --check-data --target.url}); null without
     */
    public record Verify(String redis, List<Verified> migrations, CopyComparisonFindings copy) implements Result {

        /** Migrations with a problem, and a copy that differs from its source as one more. */
        public long problems() {
            return migrations.stream().filter(verified -> !verified.clean()).count()
                    + (copy != null && !copy.clean() ? 1 : 0);
        }

        @Override
        public void renderWith(Renderer renderer) {
            renderer.verify(this);
        }

        /** Verify exits 7 when it found a problem, whether or not {@code --check} is given. */
        @Override
        public RedisOmBatchException exitFailure(boolean check) {
            return problems() > 0
                    ? new RedisOmBatchException(Failure.CHECK, "verify found " + problems() + " problem(s)")
                    : null;
        }
    }

    /** {@code stamp}: the migrations marked applied without running. */
    public record Stamp(List<String> stamped, List<String> alreadyApplied) implements Result {

        @Override
        public void renderWith(Renderer renderer) {
            renderer.stamp(this);
        }
    }

    /** {@code repair}: the unfinished runs, and how many were marked abandoned. */
    public record Repair(List<UnfinishedRun> unfinished, int abandoned, List<RepairedChecksum> checksums)
            implements Result {

        @Override
        public void renderWith(Renderer renderer) {
            renderer.repair(this);
        }
    }

    /** {@code repair --checksums}: an applied migration whose recorded checksum now is the code's at hand. */
    public record RepairedChecksum(String id, String before, String after) {}

    /** {@code create}: the new migration and the files written. */
    public record Create(String id, String source, String registration, String project, String installedApi)
            implements Result {

        @Override
        public void renderWith(Renderer renderer) {
            renderer.create(this);
        }
    }

    /** {@code generateDemoData}: {@code model} is {@code --model} (user, customer). */
    public record Demo(String model, long written, String keyPattern, double seconds) implements Result {

        @Override
        public void renderWith(Renderer renderer) {
            renderer.demo(this);
        }
    }

    /** {@code worker}: the partitions it ran, by how they ended, and the requests it dropped (no longer running). */
    public record Worker(String target, int completed, int notCompleted, int dropped) implements Result {

        @Override
        public void renderWith(Renderer renderer) {
            renderer.worker(this);
        }
    }
}
