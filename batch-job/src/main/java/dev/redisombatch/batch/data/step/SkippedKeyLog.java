package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.ops.SkippedKeys;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.ServerScript;
import dev.redisombatch.batch.redis.SlotTags;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every skipped document (key and reason, both escaped and bounded) in a capped Redis stream of our own,
 * {@code redis-om-batch:skipped:<migration id>}; read it with {@code XRANGE redis-om-batch:skipped:<id> - +}. A dry
 * run writes none.
 *
 * <p>A page's entries are added by one script call that first marks the page's token as logged
 * ({@code SET redis-om-batch:skip-page:{<tag>}:<token> NX PX}): a call that timed out may still run before its retry,
 * and the retry then adds nothing (measured before: 3,094 entries for 1,547 skipped keys under {@code CLIENT PAUSE
 * WRITE}). The mark's hash tag puts it in the stream's slot, as a script's keys must share one in a cluster; it
 * outlives every retry of the call and then expires.
 */
public final class SkippedKeyLog {

    public static final String KEY_PREFIX = SkippedKeys.KEY_PREFIX;
    private static final String PAGE_MARK_PREFIX = "redis-om-batch:skip-page:";
    /** KEYS: the stream, the page's mark. ARGV: the mark's lifetime (ms), the stream's capacity, the time, then a key and a reason per entry. */
    private static final ServerScript APPEND_ONCE =
            new ServerScript("if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return 0 end "
                    + "for i = 4, #ARGV, 2 do redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'key', ARGV[i],"
                    + " 'reason', ARGV[i + 1], 'at', ARGV[3]) end "
                    + "return (#ARGV - 3) / 2");

    private final byte[] streamKey;
    private final String pageMarkTag;
    private final long capacity;

    public SkippedKeyLog(String migrationId, long capacity) {
        this.streamKey = KeyText.bytes(streamKey(migrationId));
        this.pageMarkTag = "{" + SlotTags.tagFor(SlotHash.getSlot(streamKey)) + "}";
        this.capacity = capacity;
    }

    public static String streamKey(String migrationId) {
        return SkippedKeys.streamKey(migrationId);
    }

    /**
     * Adds one page's entries unless a call with the same {@code pageToken} already did.
     *
     * @param retryWindow how long the caller may send this page again; the page's mark lives twice as long
     * @return the entries added: all of them, or 0 when the page was logged before
     */
    long append(PipelinedConnection connection, String pageToken, List<SkipEntry> entries, Duration retryWindow) {
        List<byte[]> arguments = new ArrayList<>(3 + 2 * entries.size());
        arguments.add(KeyText.bytes(Long.toString(Math.max(retryWindow.toMillis() * 2, 60_000))));
        arguments.add(KeyText.bytes(Long.toString(capacity)));
        arguments.add(KeyText.bytes(Instant.now().toString()));
        for (SkipEntry entry : entries) {
            arguments.add(KeyText.bytes(entry.printableKey()));
            arguments.add(KeyText.bytes(entry.reason()));
        }
        byte[][] keys = {streamKey, KeyText.bytes(PAGE_MARK_PREFIX + pageMarkTag + ":" + pageToken)};
        return APPEND_ONCE.run(connection, () -> {
            RedisFuture<Long> added = APPEND_ONCE.queueAnsweredByInteger(connection, keys, arguments);
            connection.flush();
            return connection.await(added);
        });
    }
}
