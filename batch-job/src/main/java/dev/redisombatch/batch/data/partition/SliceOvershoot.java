package dev.redisombatch.batch.data.partition;

import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.ServerInfo;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys the last SCAN call of a {@link ScanSlice} read past the slice's end, in buckets of the slices after it, so
 * that the slice passes them over and each key is read by one partition: the one whose slice holds it.
 *
 * <p>Positions are cursors read in reverse-binary order as fractions of the table, the same at every table size; a
 * key sits at the position of its hash. Slice {@code i} of {@code n} holds the positions from {@code i/n} up to its
 * {@link ScanSlice#endCursor() end} {@code (i+1)/n}. A SCAN call from cursor {@code c} that returns {@code r} returns
 * every key present throughout the call at a position from {@code c} up to {@code r}, and no key at or past
 * {@code r}; it may also return keys a little before {@code c}, of the bucket holding {@code c}, when its table has
 * fewer buckets than {@code c} is fine-grained (a table that shrank, or one with fewer buckets than slices).
 *
 * <p>So the keys the slice's last call read at or past the end, which the slices after it read too, are found by
 * walking again from the end until the walk reaches the cursor the last call returned, and only they are passed over,
 * provided no call of that walk returned a key before the end. That is what {@link ScanSlice#returnedByAFinerTable}
 * proves of a call: its table had more buckets than there are slices, so the bucket it started in begins at or after
 * the end. When a call proves nothing (a table no finer than the slices, or one that walked to the end of the table),
 * nothing is passed over and the slice reads past its end as before: a key read twice rather than a key not read.
 * Hence a key present for the whole walk is always read by its own slice's partition: that walk covers every position
 * of the slice, and passes over only keys proven past its end. An earlier slice's last call that reaches it does so
 * past that slice's end, where the walk from the end returns it again, so that slice passes it over. A later slice
 * reads it only from a table with fewer buckets than slices, which the partition count avoids (at least 1,024 keys a
 * slice): then it is read twice, as before. Costs one SCAN call per slice, rarely more, and key names only.
 */
public final class SliceOvershoot {

    private SliceOvershoot() {}

    /**
     * The page's keys less those the walk from the slice's end finds up to {@code returnedCursor}; all of them when
     * the walk cannot prove it found only keys past the end.
     *
     * @param arguments the last call's own (MATCH, TYPE and COUNT), so that the walk returns the same kinds of keys
     * @param returnedCursor what the last call returned: not in the slice, and not 0
     * @param runId the server's when the last call ran: another server process hashes keys elsewhere
     */
    public static List<byte[]> withoutKeysPastTheEnd(
            PipelinedConnection connection,
            ScanSlice slice,
            KeyScanArgs arguments,
            String returnedCursor,
            String runId,
            List<byte[]> keys) {
        Set<ByteBuffer> pastTheEnd = keysPastTheEnd(connection, slice, arguments, returnedCursor, runId);
        if (pastTheEnd.isEmpty()) {
            return keys;
        }
        List<byte[]> kept = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            if (!pastTheEnd.contains(ByteBuffer.wrap(key))) {
                kept.add(key);
            }
        }
        return kept;
    }

    /**
     * The keys from the slice's end up to {@code returnedCursor}, or none when a call proved nothing or the server is
     * another process than the one under {@code runId} (it places keys with another hash seed).
     */
    public static Set<ByteBuffer> keysPastTheEnd(
            PipelinedConnection connection,
            ScanSlice slice,
            KeyScanArgs arguments,
            String returnedCursor,
            String runId) {
        Set<ByteBuffer> found = new HashSet<>();
        String cursor = slice.endCursor();
        while (!ScanSlice.reached(cursor, returnedCursor)) {
            RedisFuture<String> info = connection.reads().info("server");
            RedisFuture<KeyScanCursor<byte[]>> call = connection.reads().scan(ScanCursor.of(cursor), arguments);
            connection.flush();
            boolean sameServer = ServerInfo.runId(connection.await(info)).equals(runId);
            KeyScanCursor<byte[]> keys = connection.await(call);
            if (!sameServer || !slice.returnedByAFinerTable(keys.getCursor())) {
                return Set.of();
            }
            keys.getKeys().forEach(key -> found.add(ByteBuffer.wrap(key)));
            cursor = keys.getCursor();
        }
        return found;
    }
}
