package dev.redisombatch.batch.ops;

/**
 * Where the documents a migration skipped are listed for the operator: a capped Redis stream of ours per migration,
 * {@code redis-om-batch:skipped:<migration id>}, written by the data step and named in what a run reports.
 */
public final class SkippedKeys {

    public static final String KEY_PREFIX = "redis-om-batch:skipped:";

    private SkippedKeys() {}

    public static String streamKey(String migrationId) {
        return KEY_PREFIX + migrationId;
    }
}
