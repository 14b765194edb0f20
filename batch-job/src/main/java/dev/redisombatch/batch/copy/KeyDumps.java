package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.redis.PipelinedConnection;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * What the source holds under some key names, read in one pipeline: each key as {@code DUMP} serialises it and when
 * it expires, or that it is gone. When a key expires is asked as its remaining time ({@code PTTL}, on every version)
 * and made absolute with this machine's clock read before the pipeline is sent, so a copied key never lives longer
 * than its source: at most by the clocks' difference, which an operator keeps small with NTP.
 *
 * @param present the keys there, with their values and expiry
 * @param gone the keys not there (deleted or expired since they were named; one that expired between DUMP and PTTL too)
 * @param moved the keys whose slot left the cluster master read since they were named (MOVED, ASK): to read again
 *     where they are now
 */
record KeyDumps(List<DumpedKey> present, List<byte[]> gone, List<byte[]> moved) {

    static KeyDumps read(PipelinedConnection source, List<byte[]> names) {
        long readAt = System.currentTimeMillis();
        List<RedisFuture<byte[]>> dumps = new ArrayList<>(names.size());
        List<RedisFuture<Long>> ttls = new ArrayList<>(names.size());
        for (byte[] key : names) {
            dumps.add(source.reads().dump(key));
            ttls.add(source.reads().pttl(key));
        }
        source.flush();
        List<DumpedKey> present = new ArrayList<>(names.size());
        List<byte[]> gone = new ArrayList<>();
        List<byte[]> moved = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            byte[] payload;
            long ttl;
            try {
                payload = source.await(dumps.get(i));
                ttl = source.await(ttls.get(i));
            } catch (RedisCommandExecutionException refused) {
                if (!movedAway(refused)) {
                    throw refused;
                }
                moved.add(names.get(i));
                continue;
            }
            // -2: no such key
            if (payload == null || ttl == -2) {
                gone.add(names.get(i));
            } else {
                present.add(new DumpedKey(names.get(i), payload, ttl < 0 ? 0 : readAt + Math.max(1, ttl)));
            }
        }
        return new KeyDumps(present, gone, moved);
    }

    private static boolean movedAway(RedisCommandExecutionException refused) {
        String message = String.valueOf(refused.getMessage());
        return message.startsWith("MOVED") || message.startsWith("ASK");
    }
}
