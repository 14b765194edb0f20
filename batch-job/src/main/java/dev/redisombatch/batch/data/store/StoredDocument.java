package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.migration.Document;

/**
 * A document exactly as it was read, as bytes. What the migration sees, {@link #document()}, is decoded from these
 * bytes only when asked for, strictly: bytes that are not UTF-8 are a data error for the failure mode, never
 * silently replaced. A conditional write compares the server's bytes with these, so nothing is lost or altered by
 * decoding.
 */
public sealed interface StoredDocument permits StoredHash, StoredJson {

    byte[] key();

    /**
     * The document as the migration sees it; its key as text (bytes that are not UTF-8 shown as U+FFFD).
     *
     * @throws DocumentRejectedException when what was read is not valid UTF-8, or not a document of its type
     */
    Document document();

    /**
     * Whether a change may set or remove {@code field}: it was read, so it is compared before the write and a second
     * run sees it done.
     */
    boolean reads(String field);

    /** The key, printable and bounded, for logs and the skip log. */
    default String printableKey() {
        return KeyText.printable(key());
    }
}
