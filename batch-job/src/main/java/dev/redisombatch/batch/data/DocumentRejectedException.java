package dev.redisombatch.batch.data;

/**
 * A document that could not be migrated: the transform refused or failed on it, or Redis refused the write. These are
 * the errors the failure mode and the error budget govern; infrastructure faults are not.
 */
public class DocumentRejectedException extends RuntimeException {

    private final String key;

    public DocumentRejectedException(String key, String reason, Throwable cause) {
        super(key + ": " + reason, cause);
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The message without the key, for the skip log, which stores the key separately. */
    public String reason() {
        return getMessage().substring(key.length() + 2);
    }
}
