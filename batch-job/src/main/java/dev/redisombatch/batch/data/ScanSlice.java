package dev.redisombatch.batch.data;

/**
 * Slice {@code index} of {@code 2^bits} disjoint slices of a Redis keyspace, as SCAN walks it.
 *
 * <p>SCAN visits hash-table buckets in reverse-binary order, so the low {@code bits} bits of the cursor stay fixed
 * while it walks one slice: the buckets whose low bits are {@code reverse(index)}. A slice starts at cursor
 * {@code reverse(index)} and is done when SCAN returns 0 or a cursor whose low bits differ. A key's slice is the low
 * bits of its hash, which stays put while the table has at least {@code 2^bits} buckets, across rehashing too
 * (../shared/DESIGN.md, measured on Redis 7.0). Cursors are unsigned 64-bit numbers, so they are kept as strings.
 */
public record ScanSlice(int index, int bits) {

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

    /** The cursor that starts this slice. */
    public String startCursor() {
        return Long.toUnsignedString(reversedLowBits(index, bits));
    }

    /** Whether a cursor SCAN returned still lies in this slice; false means the slice is done. */
    public boolean contains(String cursor) {
        long value = Long.parseUnsignedLong(cursor);
        return value != 0 && (value & lowBitsMask()) == reversedLowBits(index, bits);
    }

    /**
     * How far into the slice a cursor is, from 0 to 1. SCAN's order is the order of the bit-reversed cursor, so the
     * reversed cursor read as a fraction of 2^64 is the position in a full scan, whatever the table's size.
     */
    public double fractionDone(String cursor) {
        long reversed = Long.reverse(Long.parseUnsignedLong(cursor));
        double positionInFullScan = unsignedToDouble(reversed) / 0x1p64;
        double done = positionInFullScan * count() - index;
        return Math.max(0, Math.min(1, done));
    }

    /**
     * The SCAN COUNT to ask for next: {@code maxCount}, or less near the end of the slice. The call that crosses the
     * slice's end returns keys of the next slice too (read twice, once by each partition); asking for about what is
     * left of this slice keeps that overshoot small. COUNT counts keys of every type and name, so the estimate is
     * the database's keys per slice times the share of the slice not walked yet.
     */
    public int countHint(String cursor, long keysPerSlice, int maxCount) {
        if (keysPerSlice <= 0) {
            return maxCount;
        }
        double left = keysPerSlice * (1 - fractionDone(cursor));
        return (int) Math.max(MIN_COUNT, Math.min(maxCount, Math.ceil(left * 1.25) + MIN_COUNT));
    }

    private static final int MIN_COUNT = 16;

    private static long reversedLowBits(int value, int bits) {
        return bits == 0 ? 0 : Long.reverse(value) >>> (64 - bits);
    }

    private static double unsignedToDouble(long value) {
        double high = (double) (value >>> 1) * 2.0;
        return high + (value & 1);
    }

    @Override
    public String toString() {
        return "slice " + index + "/" + count();
    }
}
