package dev.redisombatch.batch.results;

import dev.redisombatch.batch.failure.RedisOmBatchException;

/**
 * What every command returns: the command line renders it (as text through a {@link Renderer}, or as JSON, the
 * record as it is) and exits with its failure, if any. Sealed, so a new result cannot be left unrendered.
 */
public sealed interface Result
        permits Results.Migrate,
                Results.Rollback,
                Results.Status,
                Results.Verify,
                Results.Stamp,
                Results.Repair,
                Results.Create,
                Results.Demo,
                Results.Worker,
                SchemaResults.Run,
                SchemaResults.Status,
                SchemaResults.Created {

    /** Why the command did not get all the way; null when it did. */
    default RedisOmBatchException failure() {
        return null;
    }

    /**
     * The failure the command line exits with: {@link #failure()}, or what a check found ({@code verify} always,
     * {@code status} only with {@code --check}); null for none.
     */
    default RedisOmBatchException exitFailure(boolean check) {
        return failure();
    }

    /** Hands this result to the renderer's method for its kind. */
    void renderWith(Renderer renderer);

    /** One method per kind of result. */
    interface Renderer {

        void migrate(Results.Migrate migrate);

        void rollback(Results.Rollback rollback);

        void status(Results.Status status);

        void verify(Results.Verify verify);

        void stamp(Results.Stamp stamp);

        void repair(Results.Repair repair);

        void create(Results.Create create);

        void demo(Results.Demo demo);

        void worker(Results.Worker worker);

        void schemaRun(SchemaResults.Run run);

        void schemaStatus(SchemaResults.Status status);

        void schemaCreated(SchemaResults.Created created);
    }
}
