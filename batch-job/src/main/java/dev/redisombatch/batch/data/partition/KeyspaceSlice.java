package dev.redisombatch.batch.data.partition;

import dev.redisombatch.batch.redis.ScanLayout;

/**
 * A share of one server's keyspace that one partition walks with SCAN: a walk starts at {@link #startCursor()} and
 * goes on while the cursor SCAN returns is {@link #contains(String) contained}; the slices cut from one server cover
 * all its keys between them, on a server whose SCAN cursor has the layout they were cut for ({@link #holdsOn}).
 * Cursors are unsigned 64-bit numbers, so they are kept as strings.
 */
public sealed interface KeyspaceSlice permits ScanSlice, SlotRangeSlice {

    /** The cursor that starts this slice. */
    String startCursor();

    /** Whether a cursor SCAN returned still lies in this slice; false means the slice is done. */
    boolean contains(String cursor);

    /** How far into the slice a cursor is, from 0 to 1. */
    double fractionDone(String cursor);

    /** Whether walking the slice covers its share of the keys on a server whose cursor has that layout. */
    boolean holdsOn(ScanLayout layout);

    /**
     * The SCAN COUNT to ask for next: {@code maxCount}, or less near the end of the slice. The call that crosses the
     * slice's end returns keys of the next slice too, which the partition then passes over (by their slots on a slot
     * range, by walking them again on a {@link ScanSlice}); asking for about what is left of this slice keeps that
     * overshoot small. COUNT counts keys of every type and name, so the estimate is the database's keys per slice
     * times the share of the slice not walked yet.
     */
    default int countHint(String cursor, long keysPerSlice, int maxCount) {
        if (keysPerSlice <= 0) {
            return maxCount;
        }
        double left = keysPerSlice * (1 - fractionDone(cursor));
        return (int) Math.max(MIN_COUNT, Math.min(maxCount, Math.ceil(left * 1.25) + MIN_COUNT));
    }

    int MIN_COUNT = 16;

    /**
     * A cursor's position in a walk of one hash table, from 0 to 1: tables are walked in reverse-binary bucket order,
     * so the reversed cursor read as a fraction of 2^64 is the position, whatever the table's size.
     */
    static double positionInTable(long tableCursor) {
        long reversed = Long.reverse(tableCursor);
        double unsigned = (double) (reversed >>> 1) * 2.0 + (reversed & 1);
        return unsigned / 0x1p64;
    }
}
