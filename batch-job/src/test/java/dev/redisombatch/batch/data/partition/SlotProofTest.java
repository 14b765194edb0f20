package dev.redisombatch.batch.data.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.batch.redis.NodeView;
import dev.redisombatch.batch.redis.ScanLayout;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.migration.RedisType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlotProofTest {

    private static final SlotSet A = SlotSet.range(0, 8191);
    private static final SlotSet B = SlotSet.range(8192, 16383);

    private static Topology cluster(String runOfA, SlotSet slotsOfA, SlotSet slotsOfB) {
        return new Topology(List.of(
                new Topology.Master("a", "h", 1, runOfA, slotsOfA.ranges(), ScanLayout.ONE_TABLE, "t"),
                new Topology.Master("b", "h", 2, "run-b", slotsOfB.ranges(), ScanLayout.ONE_TABLE, "t")));
    }

    private static NodeView view(String run, SlotSet owned) {
        return new NodeView(true, run, owned, SlotSet.NONE);
    }

    /** The cursor-bits slices of one master, each walked to its end between the two views. */
    private static List<SliceCheckpoint> walked(String node, String pattern, int slices, NodeView start, NodeView end) {
        int bits = Integer.numberOfTrailingZeros(slices);
        return IntStream.range(0, slices)
                .mapToObj(index -> SliceCheckpoint.start(
                                pattern, RedisType.HASH, node, new ScanSlice(index, bits), 100, SlotSet.ALL)
                        .walkedUnder(start, end)
                        .at(
                                "0",
                                start.runId(),
                                true,
                                true,
                                SliceCheckpoint.start(
                                                pattern,
                                                RedisType.HASH,
                                                node,
                                                new ScanSlice(index, bits),
                                                100,
                                                SlotSet.ALL)
                                        .counts()))
                .toList();
    }

    @Test
    void everySliceOfEveryMasterWalkedUnderASteadyOwnerProvesEverySlot() {
        List<SliceCheckpoint> walk = new ArrayList<>(walked("a", "u:*", 4, view("run-a", A), view("run-a", A)));
        walk.addAll(walked("b", "u:*", 2, view("run-b", B), view("run-b", B)));

        assertEquals(SlotSet.ALL, SlotProof.proven(walk, cluster("run-a", A, B)));
    }

    @Test
    void slotsMovedAwayDuringTheWalkAreNotProvenWhereTheRestIs() {
        SlotSet moved = SlotSet.range(0, 1999);
        List<SliceCheckpoint> walk =
                new ArrayList<>(walked("a", "u:*", 4, view("run-a", A), view("run-a", A.andNot(moved))));
        walk.addAll(walked("b", "u:*", 2, view("run-b", B), view("run-b", B.or(moved))));

        SlotSet proven = SlotProof.proven(walk, cluster("run-a", A.andNot(moved), B.or(moved)));

        assertEquals(
                A.andNot(moved).or(B),
                proven,
                "the moved slots were not steady on either master; every other slot was");
    }

    @Test
    void aSlotSeenGoneWithSomePageIsNotProvenThoughItWasBackAtTheEnd() {
        SlotSet away = SlotSet.range(100, 199);
        List<SliceCheckpoint> walk = new ArrayList<>(walked("a", "u:*", 1, view("run-a", A), view("run-a", A)));
        SliceCheckpoint started = SliceCheckpoint.start(
                        "u:*", RedisType.HASH, "a", new ScanSlice(0, 0), 100, SlotSet.ALL)
                .walkedUnder(view("run-a", A), null)
                .sawDuringWalk(view("run-a", A.andNot(away)))
                .sawDuringWalk(view("run-a", A))
                .walkedUnder(view("run-a", A), view("run-a", A));
        walk.set(0, started.at("0", "run-a", true, true, started.counts()));
        walk.addAll(walked("b", "u:*", 1, view("run-b", B), view("run-b", B)));

        assertEquals(SlotSet.ALL.andNot(away), SlotProof.proven(walk, cluster("run-a", A, B)));
    }

    @Test
    void aMasterThatFailedOverOrRestartedSinceVouchesForNothing() {
        List<SliceCheckpoint> walk = new ArrayList<>(walked("a", "u:*", 4, view("run-a", A), view("run-a", A)));
        walk.addAll(walked("b", "u:*", 2, view("run-b", B), view("run-b", B)));

        assertEquals(B, SlotProof.proven(walk, cluster("run-a-restarted", A, B)));
    }

    @Test
    void aSliceNotWalkedToItsEndOrMissingLeavesItsServersSlotsUnproven() {
        List<SliceCheckpoint> walk = new ArrayList<>(walked("a", "u:*", 4, view("run-a", A), view("run-a", A)));
        walk.set(2, walk.get(2).at("77", "run-a", false, true, walk.get(2).counts()));
        walk.addAll(walked("b", "u:*", 2, view("run-b", B), view("run-b", B)).subList(0, 1));

        assertTrue(SlotProof.proven(walk, cluster("run-a", A, B)).isEmpty());
    }

    @Test
    void aSlotBeingMovedAtEitherEndIsNotProvenAndEveryPatternMustProveASlot() {
        NodeView moving = new NodeView(true, "run-a", A, SlotSet.range(10, 19));
        List<SliceCheckpoint> walk = new ArrayList<>(walked("a", "u:*", 1, view("run-a", A), moving));
        walk.addAll(walked("b", "u:*", 1, view("run-b", B), view("run-b", B)));
        walk.addAll(walked("b", "v:*", 1, view("run-b", B), view("run-b", B)));

        assertEquals(
                SlotSet.range(8192, 16383), SlotProof.proven(walk, cluster("run-a", A, B)), "v:* was walked on b only");
        assertEquals(
                A.andNot(SlotSet.range(10, 19)).or(B), SlotProof.proven(walk.subList(0, 2), cluster("run-a", A, B)));
    }

    @Test
    void aSliceOfSlotRangesVouchesForItsOwnSlots() {
        SliceCheckpoint first = SliceCheckpoint.start(
                        "u:*", RedisType.HASH, "a", new SlotRangeSlice(0, 4095, 0, 4095), 100, SlotSet.ALL)
                .walkedUnder(view("run-a", A), view("run-a", A));

        assertEquals(
                SlotSet.range(0, 4095),
                SlotProof.proven(List.of(first.at("0", "run-a", true, true, first.counts())), cluster("run-a", A, B)));
        assertTrue(SlotProof.proven(List.of(first), cluster("run-a", A, B)).isEmpty(), "not walked to its end");
    }

    @Test
    void aLaterWalkVouchesOnlyForTheSlotsItWasToWalk() {
        SlotSet again = SlotSet.range(100, 199);
        SliceCheckpoint slice = SliceCheckpoint.start("u:*", RedisType.HASH, "a", new ScanSlice(0, 0), 100, again)
                .walkedUnder(view("run-a", A), view("run-a", A));

        assertEquals(
                again,
                SlotProof.proven(List.of(slice.at("0", "run-a", true, true, slice.counts())), cluster("run-a", A, B)));
    }
}
