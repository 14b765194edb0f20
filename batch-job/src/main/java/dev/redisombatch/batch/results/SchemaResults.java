package dev.redisombatch.batch.results;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.state.Direction;
import java.util.ArrayList;
import java.util.List;

/** What the schema commands return; the command line renders them as text or JSON. */
public final class SchemaResults {

    private SchemaResults() {}

    /**
     * One schema migration applied, rolled back or shown in a dry run.
     *
     * @param status {@code applied}, {@code rolled back}, {@code dry run}, {@code FAILED} or {@code STOPPED}
     * @param dryRunCommands in a dry run, the exact commands it would send, one per line
     */
    public record Outcome(
            String id,
            String index,
            Direction direction,
            String mode,
            String status,
            List<String> dryRunCommands,
            RedisOmBatchException failure) {}

    /**
     * What a run of pending schema migrations (or a rollback) did.
     *
     * @param stillPending pending migrations not applied by this run (left by {@code --limit}, a failure, or
     *        waiting)
     * @param waiting those waiting for a data migration ({@code after:}) not applied, each as {@code id: why}
     * @param failure why the run stopped short; null when it did not
     */
    public record Run(List<Outcome> migrations, int stillPending, List<String> waiting, RedisOmBatchException failure)
            implements Result {

        /** No schema migration was looked at: a run that stopped before (a copy that did not complete). */
        public static final Run NONE = new Run(List.of(), 0, List.of(), null);

        /**
         * This run followed by {@code later} (a copy's schema migrations applied before its keys, then those after):
         * every migration of both, and what is still pending as {@code later} leaves it, unless it is {@link #NONE}.
         */
        public Run then(Run later) {
            if (later == NONE) {
                return this;
            }
            List<Outcome> both = new ArrayList<>(migrations);
            both.addAll(later.migrations);
            return new Run(List.copyOf(both), later.stillPending, later.waiting, later.failure);
        }

        @Override
        public void renderWith(Renderer renderer) {
            renderer.schemaRun(this);
        }
    }

    /**
     * One migration file against what Redis says is applied.
     *
     * @param edited the file changed since it was applied (its checksum differs from the one recorded)
     */
    public record FileState(String id, String index, boolean applied, boolean edited) {}

    /**
     * One index against the last applied migration of it.
     *
     * @param state {@code in-sync}, {@code drift} (the live definition differs), {@code missing} (no such index), or
     *        {@code unknown} (no search module to ask)
     */
    public record IndexState(
            String index,
            String state,
            String lastApplied,
            String liveIndex,
            Long documents,
            Boolean stillIndexing,
            List<String> differences) {

        public boolean needsAttention() {
            return state.equals("drift") || state.equals("missing");
        }
    }

    /**
     * One index of a reference Redis ({@code --desired-from}) against the live index of the same name or alias.
     *
     * @param state {@code in-step}, {@code differs}, {@code missing-on-target} (only the reference has it: create
     *        would write a file creating it) or {@code missing-on-reference} (named by {@code --index}, or on the
     *        target only: create writes nothing for it)
     * @param liveIndex the index the name resolves to on the target (the alias's target); null when there is none
     * @param differences what a migration to the reference's definition would change, one line each, as
     *        {@code create} describes it
     */
    public record ReferenceIndexState(String index, String state, String liveIndex, List<String> differences) {

        public boolean needsAttention() {
            return state.equals("differs") || state.equals("missing-on-target");
        }
    }

    /**
     * The live indexes against a reference Redis.
     *
     * @param reference host, port and database of the reference (never a password)
     */
    public record ReferenceDrift(String reference, List<ReferenceIndexState> indexes) {

        public boolean needsAttention() {
            return indexes.stream().anyMatch(ReferenceIndexState::needsAttention);
        }
    }

    /**
     * The schema migrations under a folder and the indexes they describe.
     *
     * @param reference with {@code --desired-from}: the live indexes against that reference Redis; else null
     */
    public record Status(
            String folder,
            List<FileState> migrations,
            List<String> appliedWithoutFile,
            List<IndexState> indexes,
            ReferenceDrift reference)
            implements Result {

        public long pending() {
            return migrations.stream().filter(migration -> !migration.applied()).count();
        }

        public boolean needsAttention() {
            return pending() > 0
                    || migrations.stream().anyMatch(FileState::edited)
                    || indexes.stream().anyMatch(IndexState::needsAttention)
                    || (reference != null && reference.needsAttention());
        }

        @Override
        public void renderWith(Renderer renderer) {
            renderer.schemaStatus(this);
        }

        @Override
        public RedisOmBatchException exitFailure(boolean check) {
            return check && needsAttention()
                    ? new RedisOmBatchException(
                            Failure.CHECK, "schema status --check:" + " something pending, edited or drifted")
                    : null;
        }
    }

    /** A file {@code create} wrote, or a note on why it wrote none for an index. */
    public record Created(List<String> written, List<String> notes) implements Result {

        @Override
        public void renderWith(Renderer renderer) {
            renderer.schemaCreated(this);
        }
    }
}
