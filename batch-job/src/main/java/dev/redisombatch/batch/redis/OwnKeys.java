package dev.redisombatch.batch.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * This tool's own keys in the data (records, counters, marks, the lock: hashes and strings under
 * {@value #PREFIX}), which are never data to migrate or to copy.
 */
public final class OwnKeys {

    public static final String PREFIX = "redis-om-batch:";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.UTF_8);

    private OwnKeys() {}

    /** The keys less this tool's own. */
    public static List<byte[]> without(List<byte[]> keys) {
        List<byte[]> others = new ArrayList<>(keys.size());
        int n = PREFIX_BYTES.length;
        for (byte[] key : keys) {
            if (key.length < n || !Arrays.equals(key, 0, n, PREFIX_BYTES, 0, n)) {
                others.add(key);
            }
        }
        return others;
    }
}
