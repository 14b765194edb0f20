package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Document;

/**
 * A document to write: as it was read (bytes, and as the migration saw it) and the change that really alters it.
 *
 * @param restore for a hash a copy converts on the way: the source's serialised key to restore in the same script call
 *     before the change (its first write), or {@link Restore#EARLIER} (a later one); null otherwise. Either way the
 *     change is written blindly, also when the batch is sent again: nothing but the copy writes to its target, and a
 *     document is counted by the status of its last send.
 */
public record PendingWrite(StoredDocument stored, Document before, Change change, Restore restore) {

    public PendingWrite(StoredDocument stored, Document before, Change change) {
        this(stored, before, change, null);
    }

    /**
     * A key as {@code DUMP} serialised it, to {@code RESTORE ... REPLACE ABSTTL}.
     *
     * @param expiresAtMillis Unix time in milliseconds; 0 for a key that does not expire
     */
    public record Restore(byte[] payload, long expiresAtMillis) {

        /**
         * Restored by an earlier write of the same copy: written only if the hash is there (its expiry did not pass
         * before the restore), never created by the change.
         */
        public static final Restore EARLIER = new Restore(null, 0);

        /**
         * The copy's stop when the target refused to restore a key for good: never a document skipped, which would
         * leave it out of the copy (exit 2).
         */
        public static RedisOmBatchException refused(byte[] key, String refusal) {
            return new RedisOmBatchException(
                    Failure.CONFIGURATION,
                    "the target refused to restore key " + KeyText.printable(key) + ": " + refusal
                            + (refusal.contains("payload version")
                                    ? " (it cannot read what the source's DUMP wrote: copy to a Redis of the same"
                                            + " version as the source or a later one)"
                                    : ""));
        }
    }

    /** The same write, restoring {@code key} first, in the same call. */
    public PendingWrite restoring(Restore key) {
        return new PendingWrite(stored, before, change, key);
    }
}
