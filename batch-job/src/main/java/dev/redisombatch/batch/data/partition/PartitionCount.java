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

    /**
     * The slices of each of {@code servers} (a cluster's masters) when {@code requested} are asked for in all: the
     * largest power of two that keeps the total within it, at least one per server. Each partition costs the JVM a
     * fixed 15 to 20 ms of CPU (its step built and recorded, the JIT work its code brings), so a cluster cut into as
     * many slices per master as one server would pay that once per master for no more parallelism.
     */
    public static int perServer(int requested, int servers) {
        return Integer.highestOneBit(Math.max(1, requested / Math.max(1, servers)));
    }

    public static int bits(int powerOfTwo) {
        return Integer.numberOfTrailingZeros(powerOfTwo);
    }
}
