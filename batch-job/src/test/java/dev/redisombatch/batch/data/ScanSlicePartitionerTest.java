package dev.redisombatch.batch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.redisombatch.migration.KeySelector;
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
    private final List<ScanTarget> single = List.of(new ScanTarget("", "127.0.0.1:6379", 10_000_000));

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 16, 1024})
    void onePartitionPerPatternAndSlice(int slices) {
        ScanSlicePartitioner partitioner = new ScanSlicePartitioner(KeySelector.hashes(patterns.toArray(String[]::new)), single, slices);
        Map<String, ExecutionContext> partitions = partitioner.partition(0);
        assertEquals(patterns.size() * slices, partitions.size());
        assertEquals(partitions.size(), partitioner.count());
        Set<String> seen = new HashSet<>();
        partitions.values().forEach(context -> {
            SliceCheckpoint checkpoint = SliceCheckpoint.from(context);
            assertEquals(slices, checkpoint.slice().count());
            assertEquals(10_000_000 / slices, checkpoint.keysPerSlice());
            assertNull(checkpoint.cursor(), "not started");
            assertEquals("", checkpoint.node());
            seen.add(checkpoint.pattern() + "/" + checkpoint.slice().index());
        });
        assertEquals(patterns.size() * slices, seen.size(), "every (pattern, slice) once");
    }

    @Test
    void namesAreStableAndCarryPatternAndSlice() {
        Map<String, ExecutionContext> partitions = new ScanSlicePartitioner(KeySelector.hashes(patterns.toArray(String[]::new)), single, 4).partition(0);
        assertEquals(partitions.keySet(), new ScanSlicePartitioner(KeySelector.hashes(patterns.toArray(String[]::new)), single, 4).partition(0).keySet());
        ExecutionContext context = partitions.get("p1-s002");
        assertEquals("order:*", SliceCheckpoint.from(context).pattern());
        assertEquals(new ScanSlice(2, 2), SliceCheckpoint.from(context).slice());
        assertEquals(new ScanSlice(0, 2), SliceCheckpoint.from(partitions.get("p0-s000")).slice());
        assertEquals("cart:*", SliceCheckpoint.from(partitions.get("p2-s003")).pattern());
    }

    @Test
    void aClusterGetsSlicesPerMasterSizedByItsOwnKeys() {
        List<ScanTarget> masters = List.of(new ScanTarget("a", "10.0.0.1:7000", 1_000_000),
                new ScanTarget("b", "10.0.0.2:7000", 1_000_000), new ScanTarget("c", "10.0.0.3:7000", 3_000));
        ScanSlicePartitioner partitioner = new ScanSlicePartitioner(KeySelector.hashes("user:*"), masters, 16);
        Map<String, ExecutionContext> partitions = partitioner.partition(0);

        assertEquals(16 + 16 + 2, partitions.size(), "a master with 3,000 keys affords 2 slices");
        assertEquals(partitions.size(), partitioner.count());
        assertEquals("b", SliceCheckpoint.from(partitions.get("p0-m1-s015")).node());
        assertEquals(2, SliceCheckpoint.from(partitions.get("p0-m2-s001")).slice().count());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -4, 3, 6, 12})
    void rejectsSliceCountsThatAreNotPowersOfTwo(int slices) {
        assertThrows(IllegalArgumentException.class, () -> new ScanSlicePartitioner(KeySelector.hashes(patterns.toArray(String[]::new)), single, slices));
    }

    @Test
    void aSelectorOfSeveralTypesGetsPartitionsPerPatternAndType() {
        Map<String, ExecutionContext> partitions = new ScanSlicePartitioner(KeySelector.documents("a:*", "b:*"),
                single, 2).partition(0);

        assertEquals(2 * 2 * 2, partitions.size());
        assertEquals(dev.redisombatch.migration.RedisType.HASH, SliceCheckpoint.from(partitions.get("p0-s001")).type());
        assertEquals(dev.redisombatch.migration.RedisType.JSON, SliceCheckpoint.from(partitions.get("p1-s000")).type());
        assertEquals("a:*", SliceCheckpoint.from(partitions.get("p1-s000")).pattern());
        assertEquals("b:*", SliceCheckpoint.from(partitions.get("p3-s001")).pattern());
    }

    @Test
    void aCheckpointWrittenBeforeTypesWereKeptReadsAsHashes() {
        ExecutionContext context = new ScanSlicePartitioner(KeySelector.hashes("a:*"), single, 1).partition(0)
                .get("p0-s000");
        context.remove("redis-om-batch.slice.type");
        assertEquals(dev.redisombatch.migration.RedisType.HASH, SliceCheckpoint.from(context).type());
    }
}
