package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;

/**
 * A schema migration cannot go on: a command was refused, an index was not built in time, the run was stopped. The
 * message says what was sent or found, and what to do; the same command continues from what FT.INFO reports.
 */
public class SchemaMigrationException extends RedisOmBatchException {

    public SchemaMigrationException(String message) {
        this(Failure.INTERRUPTED, message);
    }

    public SchemaMigrationException(Failure failure, String message) {
        super(failure, message);
    }

    public SchemaMigrationException(Failure failure, String message, Throwable cause) {
        super(failure, message, cause);
    }
}
