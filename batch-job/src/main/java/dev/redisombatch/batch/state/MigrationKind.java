package dev.redisombatch.batch.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Data and schema migrations keep their applied state apart, each where Redis OM Python keeps it, so that either tool
 * sees the other's work; our own records and generation counters follow the same split.
 */
public enum MigrationKind {
    DATA("redis_om:applied_migrations", "redis-om-batch:applied:", "redis-om-batch:generations"),
    SCHEMA("redis_om:schema_applied_migrations", "redis-om-batch:schema-applied:", "redis-om-batch:schema-generations");

    private final String appliedSet;
    private final String recordPrefix;
    private final String generations;

    MigrationKind(String appliedSet, String recordPrefix, String generations) {
        this.appliedSet = appliedSet;
        this.recordPrefix = recordPrefix;
        this.generations = generations;
    }

    /** Redis OM's SET of applied ids. */
    public String appliedSet() {
        return appliedSet;
    }

    /**
     * The kind whose applied set {@code key} names; null for any other key. These sets say what the data of the Redis
     * holding them has had, so a copy's target keeps its own: they are no data to follow or to compare.
     */
    public static MigrationKind ofAppliedSet(byte[] key) {
        for (MigrationKind kind : values()) {
            if (Arrays.equals(key, kind.appliedSet.getBytes(StandardCharsets.UTF_8))) {
                return kind;
            }
        }
        return null;
    }

    /** Our HASH describing one application of a migration. */
    public String recordKey(String id) {
        return recordPrefix + id;
    }

    /** Our HASH of generation counters, one field per migration id. */
    public String generationsKey() {
        return generations;
    }
}
