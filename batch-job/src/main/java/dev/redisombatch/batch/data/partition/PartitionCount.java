package dev.redisombatch.batch.data.partition;

/**
 * How many SCAN slices a keyspace is worth. A table with fewer buckets than slices would hand every slice the same
 * few buckets (all keys still visited, but many of them several times), and tiny slices only add overhead, so the
 * count falls to the largest power of two that leaves every slice at least {@link #MIN_KEYS_PER_SLICE} keys.
 */
public final class PartitionCount {

    /** Redis keeps at least one bucket per 5 keys even while it defers rehashing, so this also keeps buckets >= slices. */
    public static final long MIN_KEYS_PER_SLICE = 1024;

    private PartitionCount() {}

    public static boolean isPowerOfTwo(int n) {
        return n > 0 && (n & (n - 1)) == 0;
    }

    /** @param requested a power of two; @param keysInDatabase DBSIZE of the database being scanned */
    public static int effective(int requested, long keysInDatabase) {
        long affordable = Math.max(1, keysInDatabase / MIN_KEYS_PER_SLICE);
        int largestAffordable = Integer.highestOneBit((int) Math.min(affordable, 1 << 16));
        return Math.min(requested, largestAffordable);
    }

    public static int bits(int powerOfTwo) {
        return Integer.numberOfTrailingZeros(powerOfTwo);
    }
}
