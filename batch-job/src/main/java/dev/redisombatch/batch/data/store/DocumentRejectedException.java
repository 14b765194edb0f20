package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.redis.KeyText;

/**
 * A document that could not be migrated: the transform refused or failed on it, its bytes are not text, it kept
 * changing under the run, or Redis refused the write. These are the errors the failure mode and the error budget
 * govern; infrastructure faults are not.
 */
public class DocumentRejectedException extends RuntimeException {

    /** The longest reason a log line or skip-log entry carries, in characters. */
    static final int MAX_REASON = 500;

    private final String printableKey;
    private final String reason;

    /** @param printableKey the key as {@link StoredDocument#printableKey()} gives it: escaped and bounded */
    public DocumentRejectedException(String printableKey, String reason) {
        this(printableKey, reason, null);
    }

    /**
     * @param reason why, in words; put on one line and cut here, since it may quote a value of any size and content
     *        (values in it that are bytes should already be {@link KeyText#printable(byte[])})
     */
    public DocumentRejectedException(String printableKey, String reason, Throwable cause) {
        super(printableKey + ": " + KeyText.oneLine(reason, MAX_REASON), cause);
        this.printableKey = printableKey;
        this.reason = KeyText.oneLine(reason, MAX_REASON);
    }

    public String printableKey() {
        return printableKey;
    }

    /** The message without the key, for the skip log, which stores the key separately. */
    public String reason() {
        return reason;
    }
}
