package dev.redisombatch.batch.data.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.migration.RedisType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SliceCoverageTest {

    private static SliceCheckpoint walked(String node, KeyspaceSlice slice) {
        return SliceCheckpoint.start("user:*", RedisType.HASH, node, slice, 0)
                .at("0", "run", true, true, DocumentCounts.NONE);
    }

    private static List<SliceCheckpoint> everyBitsSlice(String node, int bits) {
        List<SliceCheckpoint> checkpoints = new ArrayList<>();
        for (int index = 0; index < 1 << bits; index++) {
            checkpoints.add(walked(node, new ScanSlice(index, bits)));
        }
        return checkpoints;
    }

    @Test
    void everySliceOfEveryServerWalkedToItsEndIsProof() {
        List<SliceCheckpoint> checkpoints = new ArrayList<>(everyBitsSlice("a", 2));
        SlotRangeSlice.cut(List.of(new int[] {5461, 10922}), 4).forEach(slice -> checkpoints.add(walked("b", slice)));
        checkpoints.add(walked("c", new ScanSlice(0, 0)));

        assertEquals(Optional.empty(), SliceCoverage.unproven(checkpoints, 9));
    }

    @Test
    void aSliceNotWalkedToItsEndIsNoProof() {
        List<SliceCheckpoint> checkpoints = new ArrayList<>(everyBitsSlice("", 2));
        SliceCheckpoint last = checkpoints.remove(3);
        checkpoints.add(last.at("12345", "run", false, true, DocumentCounts.NONE));

        assertEquals(Optional.of("1 of 4 slices were not walked to their end"), SliceCoverage.unproven(checkpoints, 4));
    }

    @Test
    void fewerCheckpointsThanPartitionsIsNoProof() {
        assertEquals(
                Optional.of("4 of 5 partitions left a checkpoint"), SliceCoverage.unproven(everyBitsSlice("", 2), 5));
    }

    @Test
    void slicesThatLeaveAGapOrMixKindsAreNoProof() {
        List<SliceCheckpoint> gap = new ArrayList<>();
        gap.add(walked("b", new SlotRangeSlice(0, 99, 0, 99)));
        gap.add(walked("b", new SlotRangeSlice(101, 16383, 101, 16383)));
        assertTrue(SliceCoverage.unproven(gap, 2)
                .orElseThrow()
                .startsWith("the slices of user:* (hash) on master b do not cover its keyspace"));

        List<SliceCheckpoint> mixed = new ArrayList<>();
        mixed.add(walked("b", new ScanSlice(0, 1)));
        mixed.add(walked("b", new SlotRangeSlice(0, 16383, 0, 16383)));
        assertTrue(SliceCoverage.unproven(mixed, 2).isPresent());

        List<SliceCheckpoint> twice = everyBitsSlice("", 1);
        twice.set(1, walked("", new ScanSlice(0, 1)));
        assertTrue(SliceCoverage.unproven(twice, 2).isPresent());
    }
}
