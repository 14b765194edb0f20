package dev.redisombatch.batch.schema;

/** A schema migration cannot go on; the message says what was sent or found, and what to do. */
public class SchemaMigrationException extends RuntimeException {

    public SchemaMigrationException(String message) {
        super(message);
    }
}
