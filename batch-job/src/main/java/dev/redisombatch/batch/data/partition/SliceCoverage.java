package dev.redisombatch.batch.data.partition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the checkpoints of a run prove that it walked every key: as many partitions as were made, each walked to
 * its end, and the slices of each (pattern, type, server) covering that server's whole keyspace between them (every
 * cursor-bits slice of one count, or slot ranges that tile slots 0-16383). A run without that proof is not marked
 * applied, whatever its steps' statuses say.
 */
public final class SliceCoverage {

    private SliceCoverage() {}

    /** What is not proven walked, in a few words; empty when every key was. */
    public static Optional<String> unproven(List<SliceCheckpoint> checkpoints, int partitions) {
        if (checkpoints.size() != partitions) {
            return Optional.of(checkpoints.size() + " of " + partitions + " partitions left a checkpoint");
        }
        long unfinished = checkpoints.stream()
                .filter(checkpoint -> !checkpoint.finished())
                .count();
        if (unfinished > 0) {
            return Optional.of(unfinished + " of " + partitions + " slices were not walked to their end");
        }
        Map<String, List<KeyspaceSlice>> byKeyspace = new LinkedHashMap<>();
        for (SliceCheckpoint checkpoint : checkpoints) {
            byKeyspace
                    .computeIfAbsent(
                            checkpoint.pattern() + " (" + checkpoint.type().redisName() + ") on "
                                    + (checkpoint.node().isEmpty() ? "the server" : "master " + checkpoint.node()),
                            keyspace -> new ArrayList<>())
                    .add(checkpoint.slice());
        }
        return byKeyspace.entrySet().stream()
                .filter(entry -> !coverAll(entry.getValue()))
                .findFirst()
                .map(entry -> "the slices of " + entry.getKey() + " do not cover its keyspace: " + entry.getValue());
    }

    private static boolean coverAll(List<KeyspaceSlice> slices) {
        if (slices.stream().allMatch(ScanSlice.class::isInstance)) {
            List<ScanSlice> bits = slices.stream().map(ScanSlice.class::cast).toList();
            int count = bits.get(0).count();
            return bits.size() == count
                    && bits.stream().allMatch(slice -> slice.count() == count)
                    && bits.stream().map(ScanSlice::index).distinct().count() == count;
        }
        if (slices.stream().allMatch(SlotRangeSlice.class::isInstance)) {
            List<SlotRangeSlice> ranges = slices.stream()
                    .map(SlotRangeSlice.class::cast)
                    .sorted(Comparator.comparingInt(SlotRangeSlice::first))
                    .toList();
            int next = 0;
            for (SlotRangeSlice range : ranges) {
                if (range.first() != next) {
                    return false;
                }
                next = range.last() + 1;
            }
            return next == SlotRangeSlice.SLOTS;
        }
        return false;
    }
}
