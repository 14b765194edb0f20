package dev.redisombatch.batch.data;

import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per (MATCH pattern, key type, server, SCAN slice): the servers are the single server or every cluster master,
 * each cut into as many slices as {@code --partitions} asks and its size affords. A restart takes the partitions of
 * the previous execution as they were (names and checkpoints), so it resumes each from its last checkpoint.
 */
public final class ScanSlicePartitioner implements Partitioner {

    private final KeySelector keys;
    private final List<ScanTarget> targets;
    private final int slicesWanted;

    /** @param slicesWanted slices per server, a power of two; fewer for a server with few keys */
    public ScanSlicePartitioner(KeySelector keys, List<ScanTarget> targets, int slicesWanted) {
        if (!PartitionCount.isPowerOfTwo(slicesWanted)) {
            throw new IllegalArgumentException("slices must be a power of two: " + slicesWanted);
        }
        this.keys = keys;
        this.targets = List.copyOf(targets);
        this.slicesWanted = slicesWanted;
    }

    /** How many partitions {@link #partition} makes. */
    public int count() {
        return keys.patterns().size() * keys.types().size() * targets.stream().mapToInt(this::slicesOf).sum();
    }

    private int slicesOf(ScanTarget target) {
        return PartitionCount.effective(slicesWanted, target.keys());
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSizeIgnored) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        int p = 0;
        for (String pattern : keys.patterns()) {
            for (RedisType type : keys.types()) {
                for (int t = 0; t < targets.size(); t++) {
                    ScanTarget target = targets.get(t);
                    int slices = slicesOf(target);
                    int bits = PartitionCount.bits(slices);
                    for (int slice = 0; slice < slices; slice++) {
                        ExecutionContext context = new ExecutionContext();
                        SliceCheckpoint.start(pattern, type, target.node(), new ScanSlice(slice, bits),
                                target.keys() / slices).writeTo(context);
                        String name = targets.size() == 1 ? String.format("p%d-s%03d", p, slice)
                                : String.format("p%d-m%d-s%03d", p, t, slice);
                        partitions.put(name, context);
                    }
                }
                p++;
            }
        }
        return partitions;
    }
}
