package dev.redisombatch.migration;

/** A document that a transform cannot migrate. The message should say what is wrong with it (field and value). */
public class DataMigrationException extends RuntimeException {

    public DataMigrationException(String message) {
        super(message);
    }

    public DataMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
