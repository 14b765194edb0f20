package dev.redisombatch.batch.ops;

/**
 * What happened to the documents a migration read. Every document read ends in exactly one of changed, unchanged,
 * skipped or gone, so {@code read = changed + unchanged + skipped + gone}; {@code conflict} counts the skipped ones
 * that kept changing under the run, and {@code reread} the documents of pages read a second time after a resume (the
 * page in flight when a run died: its first reading was never committed, so {@code read} counts it once).
 *
 * @param read documents read (a page read again after a crash, and a key SCAN returns twice, count again)
 * @param changed documents written (in a dry run: that would be)
 * @param unchanged documents the migration leaves as they are
 * @param skipped documents that could not be migrated, under the failure mode
 * @param conflict of the skipped, those changed by another client between every read and write attempt
 * @param gone documents deleted, expired or replaced by another type between the read and the write
 * @param reread documents read again because the page they were on was not committed before a stop or crash
 */
public record DocumentCounts(
        long read, long changed, long unchanged, long skipped, long conflict, long gone, long reread) {

    public static final DocumentCounts NONE = new DocumentCounts(0, 0, 0, 0, 0, 0, 0);

    public DocumentCounts plus(DocumentCounts other) {
        return new DocumentCounts(
                read + other.read,
                changed + other.changed,
                unchanged + other.unchanged,
                skipped + other.skipped,
                conflict + other.conflict,
                gone + other.gone,
                reread + other.reread);
    }

    /**
     * Documents read in pages the run did not finish (neither written nor found unchanged, skipped or gone): only a
     * run that did not complete has any (a page in flight when it failed or stopped), and its next run reads them
     * again.
     */
    public long unfinished() {
        return Math.max(0, read - changed - unchanged - skipped - gone);
    }

    /** What these counts add to {@code earlier}, a reading of the same counters taken before. */
    public DocumentCounts since(DocumentCounts earlier) {
        return new DocumentCounts(
                read - earlier.read,
                changed - earlier.changed,
                unchanged - earlier.unchanged,
                skipped - earlier.skipped,
                conflict - earlier.conflict,
                gone - earlier.gone,
                reread - earlier.reread);
    }

    /**
     * The same counts with {@code changed} replaced by the exact count the server kept, and {@code unchanged} by what
     * is left of {@code read}: a page a killed run wrote but did not commit is counted changed by the server and read
     * (only) by the run that reads it again, which finds it unchanged; counted as read minus the rest, it is not
     * counted twice, and {@code read = changed + unchanged + skipped + gone} holds after a crash too.
     */
    public DocumentCounts withChanged(long exactChanged) {
        long leftAsTheyAre = Math.max(0, read - exactChanged - skipped - gone);
        return new DocumentCounts(read, exactChanged, leftAsTheyAre, skipped, conflict, gone, reread);
    }
}
