package dev.redisombatch.batch.results;

import dev.redisombatch.batch.failure.RedisOmBatchException;

/**
 * How the copy of every key from the source to the target ended ({@code migrateData --target.url}).
 *
 * @param source the source, host:port/db, no credentials
 * @param target the target, as the source
 * @param alreadyCopied the target holds a copy of this source that completed earlier: nothing was copied this time
 * @param read keys read from the source by this execution (a page read again after a resume counts again)
 * @param written keys written to the target by this execution (RESTORE; one read twice is written twice)
 * @param gone keys deleted or expired on the source between SCAN and DUMP, not copied
 * @param sourceChanges how many times the source changed (writes, expiries, evictions) since {@code changesSince}, as
 *        it counts itself: for a copy made now, from its start to its end (0: the target holds the source as it
 *        was); for one made earlier, since the target last held all of the source; null when it cannot be told
 * @param changesSince when the count of changes starts: the copy's start, or a follow's clean end
 * @param failure why it did not complete; null when it did
 */
public record CopyOutcome(
        String source,
        String target,
        boolean alreadyCopied,
        long read,
        long written,
        long gone,
        Long sourceChanges,
        String changesSince,
        RedisOmBatchException failure) {

    public boolean completed() {
        return failure == null;
    }
}
