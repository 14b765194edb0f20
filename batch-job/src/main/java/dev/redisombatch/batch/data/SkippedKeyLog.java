package dev.redisombatch.batch.data;

import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.PipelinedConnection;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps every skipped document (key and reason, both escaped and bounded) in a capped Redis stream of our own,
 * {@code redis-om-batch:skipped:<migration id>}; read it with {@code XRANGE redis-om-batch:skipped:<id> - +}. The
 * entries of a page go in the same pipeline as its writes. A dry run writes none.
 */
public final class SkippedKeyLog {

    public static final String KEY_PREFIX = "redis-om-batch:skipped:";

    private final byte[] streamKey;
    private final long capacity;

    public SkippedKeyLog(String migrationId, long capacity) {
        this.streamKey = KeyText.bytes(streamKey(migrationId));
        this.capacity = capacity;
    }

    public static String streamKey(String migrationId) {
        return KEY_PREFIX + migrationId;
    }

    /** Queues one XADD per entry on {@code connection}; they are sent with the caller's next flush. */
    void queue(PipelinedConnection connection, List<SkipEntry> entries, List<RedisFuture<?>> replies) {
        String at = Instant.now().toString();
        for (SkipEntry entry : entries) {
            Map<byte[], byte[]> fields = new LinkedHashMap<>();
            fields.put(KeyText.bytes("key"), KeyText.bytes(entry.printableKey()));
            fields.put(KeyText.bytes("reason"), KeyText.bytes(entry.reason()));
            fields.put(KeyText.bytes("at"), KeyText.bytes(at));
            replies.add(connection.writes().xadd(streamKey,
                    XAddArgs.Builder.maxlen(capacity).approximateTrimming(), fields));
        }
    }
}
