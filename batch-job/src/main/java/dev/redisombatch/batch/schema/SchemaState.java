package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.redis.RedisEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What is applied, kept where Redis OM Python keeps it so that its apps and CLI stay consistent with ours: the id in
 * {@code redis_om:schema_applied_migrations}, and for the index {@code <index>:schema} (the schema text) and
 * {@code <index>:hash} (its sha1, which Redis OM compares with its model's at start-up). Our own record of each
 * application is {@code redis-om-batch:schema-applied:<id>}, a HASH.
 */
public final class SchemaState {

    public static final String REDIS_OM_APPLIED_SET = "redis_om:schema_applied_migrations";
    public static final String RECORD_PREFIX = "redis-om-batch:schema-applied:";

    private final RedisEndpoint redis;

    public SchemaState(RedisEndpoint redis) {
        this.redis = redis;
    }

    public Set<String> applied() {
        return redis.transientFaults().call("SMEMBERS " + REDIS_OM_APPLIED_SET,
                () -> redis.sync().smembers(REDIS_OM_APPLIED_SET));
    }

    public Map<String, String> record(String id) {
        return redis.transientFaults().call("HGETALL " + RECORD_PREFIX + id,
                () -> redis.sync().hgetall(RECORD_PREFIX + id));
    }

    /** The record first, the id last: an id in the set always has its record and its index keys. */
    public void markApplied(SchemaMigrationFile migration, String liveIndex, ReplaceMode mode, long durationMillis,
            String ranBy) {
        Map<String, String> record = new LinkedHashMap<>();
        record.put("applied_at", java.time.Instant.now().toString());
        record.put("duration_ms", Long.toString(durationMillis));
        record.put("index", migration.index());
        record.put("live_index", liveIndex);
        record.put("mode", mode.cliName());
        record.put("checksum", migration.checksum());
        record.put("schema", migration.next().schemaText());
        record.put("description", migration.description());
        record.put("ran_by", ranBy);
        redis.transientFaults().call("record " + migration.id(), () -> {
            redis.sync().hset(RECORD_PREFIX + migration.id(), record);
            writeIndexKeys(migration.index(), migration.next().schemaText());
            return redis.sync().sadd(REDIS_OM_APPLIED_SET, migration.id());
        });
    }

    /** After a rollback: the index keys describe the previous definition again (or go, with the index). */
    public void markRolledBack(SchemaMigrationFile migration) {
        redis.transientFaults().call("unrecord " + migration.id(), () -> {
            if (migration.previous() == null) {
                redis.sync().del(migration.index() + ":hash", migration.index() + ":schema");
            } else {
                writeIndexKeys(migration.index(), migration.previous().schemaText());
            }
            redis.sync().srem(REDIS_OM_APPLIED_SET, migration.id());
            return redis.sync().del(RECORD_PREFIX + migration.id());
        });
    }

    /** The definition {@code <index>:schema} describes, if it holds schema text this tool can read. */
    public Optional<IndexDefinition> keptDefinition(String index) {
        String text = redis.transientFaults().call("GET " + index + ":schema", () -> redis.sync().get(index + ":schema"));
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SchemaTokens.parseSchemaText(text));
        } catch (IllegalArgumentException | IndexOutOfBoundsException unreadable) {
            return Optional.empty();
        }
    }

    private void writeIndexKeys(String index, String schemaText) {
        redis.sync().set(index + ":hash", sha1Hex(schemaText));
        redis.sync().set(index + ":schema", schemaText);
    }

    /** Redis OM Python's {@code hashlib.sha1(schema.encode("utf-8")).hexdigest()}. */
    public static String sha1Hex(String schemaText) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(schemaText.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
