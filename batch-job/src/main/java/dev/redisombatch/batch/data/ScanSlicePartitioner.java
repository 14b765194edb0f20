package dev.redisombatch.batch.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per (MATCH pattern, SCAN slice). Names depend only on the grid size, which a restart takes from the
 * partitions' own checkpoints, so a restart finds the same partitions and resumes each from its last checkpoint.
 */
public final class ScanSlicePartitioner implements Partitioner {

    private final List<String> patterns;
    private final long keysInDatabase;

    /** @param keysInDatabase DBSIZE when the partitions were made, for sizing the last SCAN calls of each slice */
    public ScanSlicePartitioner(List<String> patterns, long keysInDatabase) {
        this.patterns = List.copyOf(patterns);
        this.keysInDatabase = keysInDatabase;
    }

    @Override
    public Map<String, ExecutionContext> partition(int slicesPerPattern) {
        if (!PartitionCount.isPowerOfTwo(slicesPerPattern)) {
            throw new IllegalArgumentException("slices per pattern must be a power of two: " + slicesPerPattern);
        }
        int bits = PartitionCount.bits(slicesPerPattern);
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (int p = 0; p < patterns.size(); p++) {
            for (int slice = 0; slice < slicesPerPattern; slice++) {
                ExecutionContext context = new ExecutionContext();
                SliceCheckpoint.start(patterns.get(p), new ScanSlice(slice, bits), keysInDatabase / slicesPerPattern)
                        .writeTo(context);
                partitions.put(String.format("p%d-s%03d", p, slice), context);
            }
        }
        return partitions;
    }
}
