package dev.redisombatch.batch.data.partition;

import dev.redisombatch.batch.redis.ScanLayout;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per (MATCH pattern, key type, server, SCAN slice): the servers are the single server or every cluster master,
 * each cut into as many slices as {@code --partitions} asks and its size affords. How a server is cut depends on its
 * SCAN cursor layout: by cursor bits on one hash table ({@link ScanSlice}), by slot ranges on a node with one table
 * per slot ({@link SlotRangeSlice}), and not at all (one walk from cursor 0 back to 0) on a server whose layout is not
 * recognised. A later walk of a run reads only the slots not yet proven walked ({@link SlotProof}): cut over those
 * slots where the server keeps a table per slot, and over its whole table, passing over keys of other slots,
 * elsewhere. A restart takes the partitions of the previous execution as they were (names and checkpoints), so it
 * resumes each from its last checkpoint.
 */
public final class ScanSlicePartitioner implements Partitioner {

    /** The MATCH patterns, and the key types (null: every type, as a copy walks them). */
    private final List<String> patterns;

    private final List<RedisType> types;
    private final List<ScanTarget> targets;
    private final List<List<KeyspaceSlice>> slicesPerTarget;
    private final SlotSet walkSlots;

    /**
     * @param targets the servers holding slots to walk
     * @param slicesWanted slices per server, a power of two; fewer for a server with few keys
     * @param walkSlots the slots whose keys to read: every slot, or on a later walk of a cluster run the ones not
     *     proven walked yet
     */
    public ScanSlicePartitioner(KeySelector keys, List<ScanTarget> targets, int slicesWanted, SlotSet walkSlots) {
        this(keys.patterns(), keys.types(), targets, slicesWanted, walkSlots);
    }

    /** Every key of every type, as a copy reads them: one partition per server and slice. */
    public static ScanSlicePartitioner everyKey(List<ScanTarget> targets, int slicesWanted, SlotSet walkSlots) {
        return new ScanSlicePartitioner(
                List.of("*"), Collections.singletonList(null), targets, slicesWanted, walkSlots);
    }

    private ScanSlicePartitioner(
            List<String> patterns,
            List<RedisType> types,
            List<ScanTarget> targets,
            int slicesWanted,
            SlotSet walkSlots) {
        if (!PartitionCount.isPowerOfTwo(slicesWanted)) {
            throw new IllegalArgumentException("slices must be a power of two: " + slicesWanted);
        }
        this.patterns = patterns;
        this.types = types;
        this.targets = List.copyOf(targets);
        this.walkSlots = walkSlots;
        int slicesPerTarget = PartitionCount.perServer(slicesWanted, this.targets.size());
        this.slicesPerTarget = this.targets.stream()
                .map(target -> slicesOf(target, slicesPerTarget, walkSlots))
                .toList();
    }

    /** How many partitions {@link #partition} makes. */
    public int count() {
        return patterns.size()
                * types.size()
                * slicesPerTarget.stream().mapToInt(List::size).sum();
    }

    private static List<KeyspaceSlice> slicesOf(ScanTarget target, int slicesWanted, SlotSet walkSlots) {
        int slices = PartitionCount.effective(slicesWanted, target.keys());
        if (target.layout() == ScanLayout.SLOT_TABLES && !walkSlots.isAll()) {
            return List.copyOf(SlotRangeSlice.cutWithin(
                    SlotSet.of(target.slots()).and(walkSlots).ranges(), slices));
        }
        return switch (target.layout()) {
            case ONE_TABLE ->
                IntStream.range(0, slices)
                        .<KeyspaceSlice>mapToObj(index -> new ScanSlice(index, PartitionCount.bits(slices)))
                        .toList();
            case SLOT_TABLES -> List.copyOf(SlotRangeSlice.cut(target.slots(), slices));
            case UNKNOWN -> List.of(new ScanSlice(0, 0));
        };
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSizeIgnored) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        int p = 0;
        for (String pattern : patterns) {
            for (RedisType type : types) {
                for (int t = 0; t < targets.size(); t++) {
                    ScanTarget target = targets.get(t);
                    List<KeyspaceSlice> slices = slicesPerTarget.get(t);
                    for (int slice = 0; slice < slices.size(); slice++) {
                        ExecutionContext context = new ExecutionContext();
                        SliceCheckpoint.start(
                                        pattern,
                                        type,
                                        target.node(),
                                        slices.get(slice),
                                        target.keys() / slices.size(),
                                        walkSlots)
                                .writeTo(context);
                        String name = targets.size() == 1
                                ? String.format("p%d-s%03d", p, slice)
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
