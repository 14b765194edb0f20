package dev.redisombatch.batch.data.partition;

import dev.redisombatch.batch.redis.ScanLayout;

/**
 * Slice {@code index} of {@code 2^bits} disjoint slices of a Redis keyspace kept in one hash table, as SCAN walks it.
 *
 * <p>SCAN visits hash-table buckets in reverse-binary order, so the low {@code bits} bits of the cursor stay fixed
 * while it walks one slice: the buckets whose low bits are {@code reverse(index)}. A slice starts at cursor
 * {@code reverse(index)} and is done when SCAN returns 0 or a cursor whose low bits differ. A key's slice is the low
 * bits of its hash, which stays put while the table has at least {@code 2^bits} buckets, across rehashing too
 * (../shared/DESIGN.md, measured on Redis 7.0). This holds on the {@link ScanLayout#ONE_TABLE} layout only; the
 * one slice of {@code 2^0}, from cursor 0 back to 0, covers a server of any layout.
 */
public record ScanSlice(int index, int bits) implements KeyspaceSlice {

    public ScanSlice {
        if (bits < 0 || bits > 16 || index < 0 || index >= (1 << bits)) {
            throw new IllegalArgumentException("no slice " + index + " of 2^" + bits);
        }
    }

    public int count() {
        return 1 << bits;
    }

    private long lowBitsMask() {
        return (1L << bits) - 1;
    }

    @Override
    public String startCursor() {
        return Long.toUnsignedString(reversedLowBits(index, bits));
    }

    @Override
    public boolean contains(String cursor) {
        long value = Long.parseUnsignedLong(cursor);
        return value != 0 && (value & lowBitsMask()) == reversedLowBits(index, bits);
    }

    @Override
    public double fractionDone(String cursor) {
        double done = KeyspaceSlice.positionInTable(Long.parseUnsignedLong(cursor)) * count() - index;
        return Math.max(0, Math.min(1, done));
    }

    @Override
    public boolean holdsOn(ScanLayout layout) {
        return bits == 0 || layout == ScanLayout.ONE_TABLE;
    }

    private static long reversedLowBits(int value, int bits) {
        return bits == 0 ? 0 : Long.reverse(value) >>> (64 - bits);
    }

    @Override
    public String toString() {
        return "slice " + index + "/" + count();
    }
}
