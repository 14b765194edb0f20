package dev.redisombatch.batch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    private final ScanSlicePartitioner partitioner = new ScanSlicePartitioner(patterns, 100_000);

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 16, 1024})
    void onePartitionPerPatternAndSlice(int slices) {
        Map<String, ExecutionContext> partitions = partitioner.partition(slices);
        assertEquals(patterns.size() * slices, partitions.size());
        Set<String> seen = new HashSet<>();
        partitions.values().forEach(context -> {
            SliceCheckpoint checkpoint = SliceCheckpoint.from(context);
            assertEquals(slices, checkpoint.slice().count());
            assertEquals(100_000 / slices, checkpoint.keysPerSlice());
            assertEquals(null, checkpoint.cursor(), "not started");
            seen.add(checkpoint.pattern() + "/" + checkpoint.slice().index());
        });
        assertEquals(patterns.size() * slices, seen.size(), "every (pattern, slice) once");
    }

    @Test
    void namesAreStableAndCarryPatternAndSlice() {
        Map<String, ExecutionContext> partitions = partitioner.partition(4);
        assertEquals(partitions.keySet(), new ScanSlicePartitioner(patterns, 100_000).partition(4).keySet());
        ExecutionContext context = partitions.get("p1-s002");
        assertEquals("order:*", SliceCheckpoint.from(context).pattern());
        assertEquals(new ScanSlice(2, 2), SliceCheckpoint.from(context).slice());
        assertEquals(new ScanSlice(0, 2), SliceCheckpoint.from(partitions.get("p0-s000")).slice());
        assertEquals("cart:*", SliceCheckpoint.from(partitions.get("p2-s003")).pattern());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -4, 3, 6, 12})
    void rejectsSliceCountsThatAreNotPowersOfTwo(int slices) {
        assertThrows(IllegalArgumentException.class, () -> partitioner.partition(slices));
    }
}
