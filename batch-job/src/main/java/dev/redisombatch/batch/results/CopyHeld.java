package dev.redisombatch.batch.results;

/**
 * The copy a Redis holds, as its {@code redis-om-batch:copy} mark says ({@code migrateData --target.url} wrote it).
 *
 * @param source the Redis it is a copy of, host:port/db
 * @param completedAt when the copy completed; null while it is not complete (the same {@code migrateData} resumes it)
 * @param keys which keys it took: {@code all}, or {@code migrated} ({@code --target.copy})
 * @param inStepAt when a follow last ended with the target holding every change of the source; null when none did
 * @param lost when and why a copy that completed was found partly lost since (the target restarted or failed over
 *     while its migrations ran, say): then it is not whole, and only a new copy on a flushed target is; null when not
 */
public record CopyHeld(String source, String startedAt, String completedAt, String keys, String inStepAt, String lost) {

    /** Complete and not found lost since. */
    public boolean complete() {
        return completedAt != null && lost == null;
    }
}
