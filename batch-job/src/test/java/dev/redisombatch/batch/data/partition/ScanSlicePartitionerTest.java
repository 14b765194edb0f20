package dev.redisombatch.batch.data.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.redisombatch.batch.redis.NodeView;
import dev.redisombatch.batch.redis.ScanLayout;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class ScanSlicePartitionerTest {

    private final List<String> patterns = List.of("user:*", "order:*", "cart:*");
    private final List<ScanTarget> single = List.of(oneTable("", "127.0.0.1:6379", 10_000_000));

    private static ScanTarget oneTable(String node, String address, long keys) {
        return new ScanTarget(node, address, keys, ScanLayout.ONE_TABLE, List.of());
    }

    /** Masters a, b and c, holding these many keys. */
    private static List<ScanTarget> threeMastersOfOneTable(long a, long b, long c) {
        return List.of(
                oneTable("a", "10.0.0.1:7000", a),
                oneTable("b", "10.0.0.2:7000", b),
                oneTable("c", "10.0.0.3:7000", c));
    }

    private static ScanSlice bitsOf(ExecutionContext context) {
        return (ScanSlice) SliceCheckpoint.from(context).slice();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 16, 1024})
    void onePartitionPerPatternAndSlice(int slices) {
        ScanSlicePartitioner partitioner = new ScanSlicePartitioner(
                KeySelector.hashes(patterns.toArray(String[]::new)), single, slices, SlotSet.ALL);
        Map<String, ExecutionContext> partitions = partitioner.partition(0);
        assertEquals(patterns.size() * slices, partitions.size());
        assertEquals(partitions.size(), partitioner.count());
        Set<String> seen = new HashSet<>();
        partitions.values().forEach(context -> {
            SliceCheckpoint checkpoint = SliceCheckpoint.from(context);
            assertEquals(slices, ((ScanSlice) checkpoint.slice()).count());
            assertEquals(10_000_000 / slices, checkpoint.keysPerSlice());
            assertNull(checkpoint.cursor(), "not started");
            assertEquals("", checkpoint.node());
            seen.add(checkpoint.pattern() + "/" + ((ScanSlice) checkpoint.slice()).index());
        });
        assertEquals(patterns.size() * slices, seen.size(), "every (pattern, slice) once");
    }

    @Test
    void namesAreStableAndCarryPatternAndSlice() {
        Map<String, ExecutionContext> partitions = new ScanSlicePartitioner(
                        KeySelector.hashes(patterns.toArray(String[]::new)), single, 4, SlotSet.ALL)
                .partition(0);
        assertEquals(
                partitions.keySet(),
                new ScanSlicePartitioner(KeySelector.hashes(patterns.toArray(String[]::new)), single, 4, SlotSet.ALL)
                        .partition(0)
                        .keySet());
        ExecutionContext context = partitions.get("p1-s002");
        assertEquals("order:*", SliceCheckpoint.from(context).pattern());
        assertEquals(new ScanSlice(2, 2), SliceCheckpoint.from(context).slice());
        assertEquals(
                new ScanSlice(0, 2),
                SliceCheckpoint.from(partitions.get("p0-s000")).slice());
        assertEquals("cart:*", SliceCheckpoint.from(partitions.get("p2-s003")).pattern());
    }

    @Test
    void aClusterSharesTheSlicesAskedForAmongItsMasters() {
        List<ScanTarget> masters = threeMastersOfOneTable(1_000_000, 1_000_000, 1_000_000);
        Map<String, ExecutionContext> partitions =
                new ScanSlicePartitioner(KeySelector.hashes("user:*"), masters, 16, SlotSet.ALL).partition(0);

        assertEquals(4 + 4 + 4, partitions.size(), "16 asked for in all: the largest power of two within 16 / 3 each");
        assertEquals(4, bitsOf(partitions.get("p0-m2-s003")).count());
        assertEquals(
                3,
                new ScanSlicePartitioner(KeySelector.hashes("user:*"), masters, 2, SlotSet.ALL).count(),
                "fewer asked for than there are masters: one slice each");
    }

    @Test
    void aClusterGetsSlicesPerMasterSizedByItsOwnKeys() {
        List<ScanTarget> masters = threeMastersOfOneTable(1_000_000, 1_000_000, 3_000);
        ScanSlicePartitioner partitioner =
                new ScanSlicePartitioner(KeySelector.hashes("user:*"), masters, 64, SlotSet.ALL);
        Map<String, ExecutionContext> partitions = partitioner.partition(0);

        assertEquals(16 + 16 + 2, partitions.size(), "a master with 3,000 keys affords 2 slices");
        assertEquals(partitions.size(), partitioner.count());
        assertEquals("b", SliceCheckpoint.from(partitions.get("p0-m1-s015")).node());
        assertEquals(2, bitsOf(partitions.get("p0-m2-s001")).count());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -4, 3, 6, 12})
    void rejectsSliceCountsThatAreNotPowersOfTwo(int slices) {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ScanSlicePartitioner(
                        KeySelector.hashes(patterns.toArray(String[]::new)), single, slices, SlotSet.ALL));
    }

    @Test
    void aSelectorOfSeveralTypesGetsPartitionsPerPatternAndType() {
        Map<String, ExecutionContext> partitions =
                new ScanSlicePartitioner(KeySelector.documents("a:*", "b:*"), single, 2, SlotSet.ALL).partition(0);

        assertEquals(2 * 2 * 2, partitions.size());
        assertEquals(
                RedisType.HASH, SliceCheckpoint.from(partitions.get("p0-s001")).type());
        assertEquals(
                RedisType.JSON, SliceCheckpoint.from(partitions.get("p1-s000")).type());
        assertEquals("a:*", SliceCheckpoint.from(partitions.get("p1-s000")).pattern());
        assertEquals("b:*", SliceCheckpoint.from(partitions.get("p3-s001")).pattern());
    }

    @Test
    void aCheckpointWrittenBeforeTypesWereKeptReadsAsHashes() {
        ExecutionContext context = new ScanSlicePartitioner(KeySelector.hashes("a:*"), single, 1, SlotSet.ALL)
                .partition(0)
                .get("p0-s000");
        context.remove("redis-om-batch.slice.type");
        assertEquals(RedisType.HASH, SliceCheckpoint.from(context).type());
    }

    @Test
    void mastersWithOneTablePerSlotAreCutBySlotRangesThatCoverEverySlot() {
        List<ScanTarget> masters = List.of(
                new ScanTarget("a", "10.0.0.1:7000", 1_000_000, ScanLayout.SLOT_TABLES, List.of(new int[] {0, 5460})),
                new ScanTarget(
                        "b", "10.0.0.2:7000", 1_000_000, ScanLayout.SLOT_TABLES, List.of(new int[] {5461, 10922})),
                new ScanTarget("c", "10.0.0.3:7000", 3_000, ScanLayout.SLOT_TABLES, List.of(new int[] {10923, 16383})));
        ScanSlicePartitioner partitioner =
                new ScanSlicePartitioner(KeySelector.hashes("user:*"), masters, 16, SlotSet.ALL);
        Map<String, ExecutionContext> partitions = partitioner.partition(0);

        assertEquals(4 + 4 + 2, partitions.size(), "a master with 3,000 keys affords 2 slices, as on one table");
        assertEquals(partitions.size(), partitioner.count());
        List<SliceCheckpoint> checkpoints =
                partitions.values().stream().map(SliceCheckpoint::from).toList();
        Topology now = new Topology(masters.stream()
                .map(master -> new Topology.Master(
                        master.node(), "10.0.0.1", 7000, "run-" + master.node(), master.slots(), master.layout(), "t"))
                .toList());
        assertEquals(
                SlotSet.ALL,
                SlotProof.proven(
                        checkpoints.stream()
                                .map(checkpoint -> {
                                    List<int[]> owned = now.master(checkpoint.node())
                                            .orElseThrow()
                                            .slots();
                                    NodeView view = new NodeView(
                                            true, "run-" + checkpoint.node(), SlotSet.of(owned), SlotSet.NONE);
                                    return checkpoint
                                            .walkedUnder(view, view)
                                            .at("0", "", true, true, checkpoint.counts());
                                })
                                .toList(),
                        now),
                "the slices, each walked under a steady owner, prove every slot walked");
        SliceCheckpoint firstOfB = SliceCheckpoint.from(partitions.get("p0-m1-s000"));
        assertEquals(new SlotRangeSlice(0, 6825, 5461, 6825), firstOfB.slice());
        assertEquals(250_000, firstOfB.keysPerSlice());
        assertEquals(
                new SlotRangeSlice(13653, 16383, 13653, 16383),
                SliceCheckpoint.from(partitions.get("p0-m2-s001")).slice());
    }

    @Test
    void aServerWhoseCursorLayoutIsNotRecognisedIsOneSliceFromCursorZeroBackToZero() {
        ScanSlicePartitioner partitioner = new ScanSlicePartitioner(
                KeySelector.hashes("user:*"),
                List.of(new ScanTarget("", "10.0.0.1:6379", 10_000_000, ScanLayout.UNKNOWN, List.of())),
                16,
                SlotSet.ALL);

        Map<String, ExecutionContext> partitions = partitioner.partition(0);

        assertEquals(1, partitioner.count());
        assertEquals(
                new ScanSlice(0, 0),
                SliceCheckpoint.from(partitions.get("p0-s000")).slice());
    }
}
