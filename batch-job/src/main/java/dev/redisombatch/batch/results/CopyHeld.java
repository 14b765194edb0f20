package dev.redisombatch.batch.results;

/**
 * The copy a Redis holds, as its {@code redis-om-batch:copy} mark says ({@code migrateData --target.url} wrote it).
 *
 * @param source the Redis it is a copy of, host:port/db
 * @param completedAt when the copy completed; null while it is not complete (the same {@code migrateData} resumes it)
 */
public record CopyHeld(String source, String startedAt, String completedAt) {

    public boolean complete() {
        return completedAt != null;
    }
}
