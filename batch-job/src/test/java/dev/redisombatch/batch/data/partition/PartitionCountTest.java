package dev.redisombatch.batch.data.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionCountTest {

    @ParameterizedTest(name = "{0} requested over {1} keys -> {2}")
    @CsvSource({
        "16, 0, 1",
        "16, 1, 1",
        "16, 1023, 1",
        "16, 1024, 1",
        "16, 2047, 1",
        "16, 2048, 2",
        "16, 4095, 2",
        "16, 5000, 4",
        "16, 16383, 8",
        "16, 16384, 16",
        "16, 1000000, 16",
        "1, 1000000, 1",
        "4, 1000000, 4",
        "65536, 1000000, 512",
        "65536, 9223372036854775807, 65536",
    })
    void fallsBackOnSmallKeyspaces(int requested, long keys, int expected) {
        int effective = PartitionCount.effective(requested, keys);
        assertEquals(expected, effective);
        assertTrue(PartitionCount.isPowerOfTwo(effective));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 1024, 65536, 1 << 30})
    void recognisesPowersOfTwo(int n) {
        assertTrue(PartitionCount.isPowerOfTwo(n));
        assertEquals(n, 1 << PartitionCount.bits(n));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -2, 3, 6, 12, 1000, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void rejectsEverythingElse(int n) {
        assertFalse(PartitionCount.isPowerOfTwo(n));
    }

    @ParameterizedTest
    @CsvSource({"1,0", "2,1", "16,4", "65536,16"})
    void bitsIsTheExponent(int powerOfTwo, int bits) {
        assertEquals(bits, PartitionCount.bits(powerOfTwo));
    }

    @ParameterizedTest
    @CsvSource({"16,1,16", "16,3,4", "16,4,4", "16,5,2", "16,16,1", "16,40,1", "2,3,1", "64,3,16", "1,1,1"})
    void aClusterSharesTheSlicesAmongItsMasters(int requested, int masters, int perMaster) {
        assertEquals(perMaster, PartitionCount.perServer(requested, masters));
        assertTrue(perMaster * masters <= Math.max(requested, masters));
    }
}
