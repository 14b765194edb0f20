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

    /**
     * The cursor this slice's keys end at: the next slice's first, or 0 (the end of the table) for the last slice. A
     * SCAN call that returns a cursor past it has read keys of the slices after this one.
     */
    public String endCursor() {
        return Long.toUnsignedString(reversedLowBits(index + 1, bits));
    }

    /**
     * Whether a SCAN walk at {@code cursor} has reached {@code target}: the cursor is 0 (the walk is over), or its
     * position in the reverse-binary walk is at or past the target's, whatever the table's size when each was
     * returned. A target of 0 is the end of the table, reached by 0 only.
     */
    public static boolean reached(String cursor, String target) {
        long at = Long.parseUnsignedLong(cursor);
        long to = Long.parseUnsignedLong(target);
        return at == 0 || (to != 0 && Long.compareUnsigned(Long.reverse(at), Long.reverse(to)) >= 0);
    }

    /**
     * Whether a cursor SCAN returned proves that the table it walked in that call (the smaller of the two while the
     * server rehashes) had more buckets than there are slices. A call over a table of {@code 2^k} buckets returns a
     * cursor below {@code 2^k}, so a cursor with a bit set above the slices' low bits comes from a table of more than
     * {@code 2^bits} buckets; such a table keeps every bucket within one slice. 0, or a cursor that only has low bits,
     * proves nothing.
     */
    public boolean returnedByAFinerTable(String cursor) {
        return Long.parseUnsignedLong(cursor) >>> bits != 0;
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
