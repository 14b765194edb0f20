package dev.redisombatch.batch.data.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScanSliceTest {

    private static final String MAX_UNSIGNED = "18446744073709551615";

    @ParameterizedTest(name = "slice {0} of 2^{1} starts at {2}")
    @CsvSource({
        "0,0,0",
        "0,1,0",
        "1,1,1",
        "0,2,0",
        "1,2,2",
        "2,2,1",
        "3,2,3",
        "1,3,4",
        "3,3,6",
        "6,3,3",
        "1,16,32768",
        "65535,16,65535"
    })
    void startsAtTheReversedLowBits(int index, int bits, String cursor) {
        assertEquals(cursor, new ScanSlice(index, bits).startCursor());
    }

    @ParameterizedTest(name = "slice {0} of 2^{1}")
    @CsvSource({"-1,2", "4,2", "0,-1", "0,17", "1,0"})
    void rejectsSlicesThatDoNotExist(int index, int bits) {
        assertThrows(IllegalArgumentException.class, () -> new ScanSlice(index, bits));
    }

    @Test
    void containsCursorsWithItsLowBitsOnly() {
        ScanSlice slice = new ScanSlice(1, 2); // low bits 10
        assertFalse(slice.contains("0"));
        assertTrue(slice.contains("2"));
        assertTrue(slice.contains("6"));
        assertTrue(slice.contains("1026"));
        assertFalse(slice.contains("1"));
        assertFalse(slice.contains("3"));
        assertFalse(slice.contains("4"));
    }

    @Test
    void zeroEndsEverySliceEvenTheOneWhoseLowBitsAreZero() {
        ScanSlice first = new ScanSlice(0, 2);
        assertFalse(first.contains("0"));
        assertTrue(first.contains("4"));
        assertFalse(new ScanSlice(0, 0).contains("0"));
    }

    @Test
    void handlesCursorsAboveLongMaxValue() {
        assertTrue(new ScanSlice(3, 2).contains(MAX_UNSIGNED));
        assertFalse(new ScanSlice(0, 2).contains(MAX_UNSIGNED));
        assertTrue(new ScanSlice(65535, 16).contains(MAX_UNSIGNED));
        assertTrue(new ScanSlice(0, 1).contains("9223372036854775808")); // 2^63: low bit 0
        assertFalse(new ScanSlice(1, 1).contains("9223372036854775808"));
        double done = new ScanSlice(3, 2).fractionDone(MAX_UNSIGNED);
        assertTrue(done > 0.99 && done <= 1, "fraction " + done);
    }

    @Test
    void oneSliceContainsEveryCursorButZero() {
        ScanSlice all = new ScanSlice(0, 0);
        assertEquals(1, all.count());
        assertEquals("0", all.startCursor());
        for (String cursor : List.of("1", "2", "3", "12345", "9223372036854775808", MAX_UNSIGNED)) {
            assertTrue(all.contains(cursor), cursor);
        }
    }

    @Test
    void fractionDoneStartsAtZeroAndGrowsAlongScansOrder() {
        int tableBits = 10;
        for (int bits = 0; bits <= 4; bits++) {
            for (int index = 0; index < 1 << bits; index++) {
                ScanSlice slice = new ScanSlice(index, bits);
                assertEquals(0.0, slice.fractionDone(slice.startCursor()), slice.toString());
                List<Long> cursors = walk(slice, tableBits);
                assertEquals(1 << (tableBits - bits), cursors.size(), slice.toString());
                double previous = 0;
                for (long cursor : cursors.subList(1, cursors.size())) {
                    double done = slice.fractionDone(Long.toUnsignedString(cursor));
                    assertTrue(
                            done > previous && done < 1, slice + " at " + cursor + ": " + done + " after " + previous);
                    previous = done;
                }
            }
        }
    }

    /** Every bucket of every table size is visited by some slice, and by exactly one while buckets >= slices. */
    @Test
    void slicesTogetherVisitEveryBucket() {
        for (int tableBits = 0; tableBits <= 10; tableBits++) {
            for (int bits = 0; bits <= 6; bits++) {
                int[] visits = new int[1 << tableBits];
                for (int index = 0; index < 1 << bits; index++) {
                    for (long cursor : walk(new ScanSlice(index, bits), tableBits)) {
                        visits[(int) (cursor & ((1L << tableBits) - 1))]++;
                    }
                }
                for (int bucket = 0; bucket < visits.length; bucket++) {
                    String where = "bucket " + bucket + " of 2^" + tableBits + " with 2^" + bits + " slices";
                    assertTrue(visits[bucket] >= 1, where + " never visited");
                    if (tableBits >= bits) {
                        assertEquals(1, visits[bucket], where);
                    }
                }
            }
        }
    }

    @Test
    void endsWhereTheNextSliceStartsAndTheLastAtZero() {
        for (int bits = 1; bits <= 6; bits++) {
            for (int index = 0; index + 1 < 1 << bits; index++) {
                assertEquals(new ScanSlice(index + 1, bits).startCursor(), new ScanSlice(index, bits).endCursor());
            }
            assertEquals("0", new ScanSlice((1 << bits) - 1, bits).endCursor());
        }
        assertEquals("0", new ScanSlice(0, 0).endCursor());
    }

    /** The first cursor a walk returns outside its slice has reached the slice's end, on a table of any size. */
    @Test
    void aWalkReachesItsEndCursorWhenItLeavesTheSliceWhateverTheTableSize() {
        for (int tableBits = 0; tableBits <= 10; tableBits++) {
            for (int bits = 1; bits <= 4; bits++) {
                for (int index = 0; index < 1 << bits; index++) {
                    ScanSlice slice = new ScanSlice(index, bits);
                    List<Long> cursors = walk(slice, tableBits);
                    for (long inside : cursors) {
                        String where = slice + " at " + inside + " on 2^" + tableBits;
                        assertEquals(
                                inside == 0, // slice 0 starts at 0, which also stands for the end of the table
                                ScanSlice.reached(Long.toUnsignedString(inside), slice.endCursor()),
                                where);
                    }
                    long out = redisScanNext(cursors.get(cursors.size() - 1), (1L << tableBits) - 1);
                    assertTrue(ScanSlice.reached(Long.toUnsignedString(out), slice.endCursor()), slice + " " + out);
                }
            }
        }
        assertTrue(ScanSlice.reached("0", "12345"));
        assertTrue(ScanSlice.reached("1", "1"));
        assertFalse(ScanSlice.reached("1", "3")); // positions 1/2 and 3/4
        assertTrue(ScanSlice.reached("3", "1"));
        assertFalse(ScanSlice.reached("1", "1025")); // 1/2 against 1/2 + 1/2048, from a larger table
    }

    /** Only a table of more buckets than slices returns cursors with bits above the slices' low bits. */
    @Test
    void aCursorWithBitsAboveTheSlicesProvesATableFinerThanTheSlices() {
        for (int tableBits = 0; tableBits <= 8; tableBits++) {
            long mask = (1L << tableBits) - 1;
            for (int bits = 1; bits <= 4; bits++) {
                ScanSlice slice = new ScanSlice(1, bits);
                boolean anyProof = false;
                long cursor = 0;
                do {
                    cursor = redisScanNext(cursor, mask);
                    boolean proof = slice.returnedByAFinerTable(Long.toUnsignedString(cursor));
                    if (tableBits <= bits) {
                        assertFalse(proof, cursor + " from 2^" + tableBits + " with 2^" + bits + " slices");
                    }
                    anyProof |= proof;
                } while (cursor != 0);
                assertEquals(tableBits > bits, anyProof, "2^" + tableBits + " with 2^" + bits + " slices");
            }
        }
        assertFalse(new ScanSlice(1, 2).returnedByAFinerTable("0"));
        assertTrue(new ScanSlice(1, 2).returnedByAFinerTable(MAX_UNSIGNED));
    }

    /** The cursors SCAN returns to a slice over a table of 2^tableBits buckets, from its start to its end. */
    private static List<Long> walk(ScanSlice slice, int tableBits) {
        List<Long> cursors = new ArrayList<>();
        long cursor = Long.parseUnsignedLong(slice.startCursor());
        do {
            cursors.add(cursor);
            assertTrue(cursors.size() <= 1 << tableBits, slice + " never ends on a table of 2^" + tableBits);
            cursor = redisScanNext(cursor, (1L << tableBits) - 1);
        } while (slice.contains(Long.toUnsignedString(cursor)));
        return cursors;
    }

    /** dict.c's dictScan cursor step: increment the reversed cursor, with the bits above the mask set. */
    private static long redisScanNext(long v, long mask) {
        v |= ~mask;
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    @Test
    void countHintShrinksTowardsTheEndOfTheSlice() {
        ScanSlice slice = new ScanSlice(1, 2);
        assertEquals(1000, slice.countHint(slice.startCursor(), 100_000, 1000));
        assertEquals(1000, slice.countHint(slice.startCursor(), 0, 1000));
        // A cursor three quarters through the slice (reversed position 1.75 of 4 slices): a quarter of 400 keys left.
        String threeQuarters = Long.toUnsignedString(Long.reverse(0b0111L << 60));
        assertEquals(0.75, slice.fractionDone(threeQuarters), 1e-9);
        assertEquals(141, slice.countHint(threeQuarters, 400, 1000));
        assertEquals(17, slice.countHint(threeQuarters, 1, 1000));
    }
}
