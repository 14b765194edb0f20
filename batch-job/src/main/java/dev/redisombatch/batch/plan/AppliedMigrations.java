package dev.redisombatch.batch.plan;

import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.migration.DataMigration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which data migrations are applied, kept where Redis OM Python keeps it ({@code redis_om:applied_migrations}, a SET
 * of ids) so that either tool sees the other's work, plus our own record of each run in
 * {@code redis-om-batch:applied:<id>} (a HASH).
 */
public final class AppliedMigrations {

    public static final String REDIS_OM_APPLIED_SET = "redis_om:applied_migrations";
    public static final String RECORD_PREFIX = "redis-om-batch:applied:";

    private final RedisEndpoint redis;

    public AppliedMigrations(RedisEndpoint redis) {
        this.redis = redis;
    }

    public Set<String> ids() {
        return redis.transientFaults().call("SMEMBERS " + REDIS_OM_APPLIED_SET,
                () -> redis.sync().smembers(REDIS_OM_APPLIED_SET));
    }

    /** Marks the migration applied; the record is written first, so an id in the SET always has its record. */
    public void markApplied(String id, ApplicationRecord record) {
        redis.transientFaults().call("record " + id, () -> {
            redis.sync().hset(RECORD_PREFIX + id, record.asFields());
            return redis.sync().sadd(REDIS_OM_APPLIED_SET, id);
        });
    }

    /** Takes the migration out of the applied set (after its rollback) and drops our record of it. */
    public void markRolledBack(String id) {
        redis.transientFaults().call("unrecord " + id, () -> {
            redis.sync().srem(REDIS_OM_APPLIED_SET, id);
            return redis.sync().del(RECORD_PREFIX + id);
        });
    }

    public Map<String, String> record(String id) {
        return redis.transientFaults().call("HGETALL " + RECORD_PREFIX + id,
                () -> redis.sync().hgetall(RECORD_PREFIX + id));
    }

    /** What we keep about one application of a migration. */
    public record ApplicationRecord(String appliedAt, long durationMillis, long keysRead, long changed, long unchanged,
            long skipped, int partitions, String ranBy, String description, String checksum, String how,
            Map<String, String> configuration) {

        /** Prefix of the fields that hold a {@link ConfiguredMigration}'s configuration. */
        public static final String CONFIGURATION_PREFIX = "config.";

        /** What {@code stamp} records: applied by hand, nothing run. */
        public static ApplicationRecord stamped(String appliedAt, String ranBy, DataMigration migration) {
            return new ApplicationRecord(appliedAt, 0, 0, 0, 0, 0, 0, ranBy, migration.description(),
                    MigrationChecksum.of(migration), "stamped", ConfiguredMigration.of(migration));
        }

        Map<String, String> asFields() {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("applied_at", appliedAt);
            fields.put("duration_ms", Long.toString(durationMillis));
            fields.put("keys_read", Long.toString(keysRead));
            fields.put("changed", Long.toString(changed));
            fields.put("unchanged", Long.toString(unchanged));
            fields.put("skipped", Long.toString(skipped));
            fields.put("partitions", Integer.toString(partitions));
            fields.put("ran_by", ranBy);
            fields.put("description", description);
            fields.put("checksum", checksum);
            fields.put("how", how);
            configuration.forEach((name, value) -> fields.put(CONFIGURATION_PREFIX + name, value));
            return fields;
        }
    }
}
