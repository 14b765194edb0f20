package dev.redisombatch.batch.data.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.batch.redis.ScanLayout;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlotRangeSliceTest {

    private static long cursor(long tableCursor, int slot) {
        return tableCursor << ScanLayout.SLOT_BITS | slot;
    }

    @Test
    void startsAtItsFirstSlotWithTheTableCursorAtZero() {
        assertEquals("0", new SlotRangeSlice(0, 99, 0, 99).startCursor());
        assertEquals("5461", new SlotRangeSlice(5461, 16383, 5461, 16383).startCursor());
    }

    @Test
    void containsCursorsWhoseSlotIsInItsRangeAndEndsAtZero() {
        SlotRangeSlice slice = new SlotRangeSlice(100, 199, 120, 180);
        assertTrue(slice.contains("100"));
        assertTrue(slice.contains(Long.toUnsignedString(cursor(12345, 199))));
        assertTrue(slice.contains(Long.toUnsignedString(cursor(-1L >>> ScanLayout.SLOT_BITS, 150))));
        assertFalse(slice.contains(Long.toUnsignedString(cursor(7, 200))), "past the last slot");
        assertFalse(slice.contains("0"));
        assertFalse(new SlotRangeSlice(0, 16383, 0, 16383).contains("0"), "0 ends even the slice starting at 0");
    }

    @Test
    void rejectsRangesThatDoNotExist() {
        assertThrows(IllegalArgumentException.class, () -> new SlotRangeSlice(-1, 5, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new SlotRangeSlice(0, 16384, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new SlotRangeSlice(10, 20, 5, 20));
        assertThrows(IllegalArgumentException.class, () -> new SlotRangeSlice(0, 20, 15, 10));
    }

    @Test
    void holdsOnlyWhereTheCursorCarriesTheSlot() {
        SlotRangeSlice slice = new SlotRangeSlice(0, 16383, 0, 16383);
        assertTrue(slice.holdsOn(ScanLayout.SLOT_TABLES));
        assertFalse(slice.holdsOn(ScanLayout.ONE_TABLE));
        assertFalse(slice.holdsOn(ScanLayout.UNKNOWN));
        assertTrue(new ScanSlice(0, 0).holdsOn(ScanLayout.UNKNOWN), "one walk from 0 back to 0 holds anywhere");
        assertFalse(new ScanSlice(1, 2).holdsOn(ScanLayout.SLOT_TABLES));
    }

    @Test
    void progressCountsTheOwnedSlotsWalked() {
        SlotRangeSlice slice = new SlotRangeSlice(0, 6825, 5461, 6825); // 1365 slots of its own
        assertEquals(0, slice.fractionDone("0"));
        assertEquals(0, slice.fractionDone("17"), "an unowned slot before its own");
        assertEquals(0, slice.fractionDone("5461"));
        // Half-way through slot 5461's table: the reversed table cursor is one half.
        assertEquals(0.5 / 1365, slice.fractionDone(Long.toUnsignedString(cursor(1, 5461))), 1e-12);
        assertEquals(682.0 / 1365, slice.fractionDone(Long.toUnsignedString(cursor(0, 6143))), 1e-12);
        assertEquals(1, slice.fractionDone(Long.toUnsignedString(cursor(-1L >>> ScanLayout.SLOT_BITS, 6825))), 1e-3);
        assertEquals(1000, slice.countHint("5461", 800, 1000), "all of it left: the full count");
        assertEquals(
                17,
                slice.countHint(Long.toUnsignedString(cursor(0, 6825)), 800, 1000),
                "one slot of 1365 left: 800 / 1365 keys, with the margin");
    }

    @Test
    void cutsEveryOwnedSlotIntoEqualSharesAndEverySlotIntoOneSlice() {
        List<int[]> owned = List.of(new int[] {0, 499}, new int[] {5461, 10922});
        List<SlotRangeSlice> slices = SlotRangeSlice.cut(owned, 4);

        assertEquals(4, slices.size());
        int next = 0;
        int ownedTotal = 0;
        for (SlotRangeSlice slice : slices) {
            assertEquals(next, slice.first());
            next = slice.last() + 1;
            int ownedInSlice = countOwned(owned, slice.first(), slice.last());
            assertTrue(ownedInSlice == 1490 || ownedInSlice == 1491, slice + " owns " + ownedInSlice);
            ownedTotal += ownedInSlice;
        }
        assertEquals(SlotRangeSlice.SLOTS, next);
        assertEquals(500 + 5462, ownedTotal);
        assertEquals(new SlotRangeSlice(0, 6450, 0, 6450), slices.get(0), "500 + 990 slots of its own");
    }

    @Test
    void aServerThatOwnsFewSlotsGetsNoMoreSlicesThanSlots() {
        List<SlotRangeSlice> slices = SlotRangeSlice.cut(List.of(new int[] {42, 43}), 16);
        assertEquals(List.of(new SlotRangeSlice(0, 42, 42, 42), new SlotRangeSlice(43, 16383, 43, 43)), slices);
        assertEquals(List.of(new SlotRangeSlice(0, 16383, 0, 16383)), SlotRangeSlice.cut(List.of(), 1));
    }

    private static int countOwned(List<int[]> owned, int first, int last) {
        int count = 0;
        for (int[] range : owned) {
            count += Math.max(0, Math.min(last, range[1]) - Math.max(first, range[0]) + 1);
        }
        return count;
    }

    /**
     * Walks a model of a node with one table per slot (tables of various sizes, many slots empty, keys in slots the
     * node does not own too) slice by slice, one bucket per SCAN call as the server does between cursor checks, and
     * checks that the slices visit every bucket of every table exactly once between them.
     */
    @ParameterizedTest(name = "{0} slices")
    @ValueSource(ints = {1, 2, 4, 16, 64})
    void theSlicesOfANodeVisitEveryBucketOfEverySlotTableOnce(int count) {
        Random random = new Random(count);
        int[] tableBits = new int[SlotRangeSlice.SLOTS]; // -1: no table (empty slot)
        Arrays.fill(tableBits, -1);
        List<int[]> owned = List.of(new int[] {300, 4000}, new int[] {9000, 9100});
        for (int slot = 0; slot < SlotRangeSlice.SLOTS; slot++) {
            boolean mine = countOwned(owned, slot, slot) == 1;
            if (mine ? random.nextInt(4) > 0 : random.nextInt(500) == 0) { // stray keys of slots half moved in
                tableBits[slot] = random.nextInt(5);
            }
        }
        Set<Long> visited = new HashSet<>();
        List<SlotRangeSlice> slices = SlotRangeSlice.cut(owned, count);
        for (SlotRangeSlice slice : slices) {
            long cursor = Long.parseUnsignedLong(slice.startCursor());
            double progress = 0;
            do {
                long bucket = normalised(cursor, tableBits);
                if (bucket == END) {
                    break;
                }
                assertTrue(visited.add(bucket), "bucket visited twice: " + bucket + " in " + slice);
                cursor = next(bucket, tableBits);
                String returned = Long.toUnsignedString(cursor);
                if (slice.contains(returned)) {
                    assertTrue(slice.fractionDone(returned) >= progress, "progress went back in " + slice);
                    progress = slice.fractionDone(returned);
                }
            } while (slice.contains(Long.toUnsignedString(cursor)));
        }
        long buckets = 0;
        for (int bits : tableBits) {
            buckets += bits < 0 ? 0 : 1L << bits;
        }
        assertEquals(buckets, visited.size());
    }

    private static final long END = -1;

    /** The server moves a cursor that points at an empty slot on to the next slot with a table; END when none. */
    private static long normalised(long cursor, int[] tableBits) {
        int slot = (int) (cursor & (SlotRangeSlice.SLOTS - 1));
        if (tableBits[slot] >= 0) {
            return cursor;
        }
        for (int next = slot + 1; next < SlotRangeSlice.SLOTS; next++) {
            if (tableBits[next] >= 0) {
                return next;
            }
        }
        return END;
    }

    /** The cursor after one bucket: the next bucket in reverse-binary order, else the next slot with a table. */
    private static long next(long cursor, int[] tableBits) {
        int slot = (int) (cursor & (SlotRangeSlice.SLOTS - 1));
        long table = cursor >>> ScanLayout.SLOT_BITS;
        long mask = (1L << tableBits[slot]) - 1;
        table |= ~mask;
        table = Long.reverse(Long.reverse(table) + 1) & mask;
        if (table != 0) {
            return cursor(table, slot);
        }
        long nextSlot = slot + 1 < SlotRangeSlice.SLOTS ? normalised(slot + 1, tableBits) : END;
        return nextSlot == END ? 0 : nextSlot;
    }
}
