package dev.redisombatch.batch.data.partition;

import dev.redisombatch.batch.redis.NodeView;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which hash slots the checkpoints of a walk prove walked, for every key pattern and type: the unit a cluster run
 * keeps its progress in, since a slot moves between masters as a whole (a single server holds every slot, so there
 * the proof is all or nothing).
 *
 * <p>A slot is proven when a server walked it to the end of its share while it owned the slot steadily (one process
 * throughout, the slot owned and not moving every time the walk looked: at its start, with every page, at its end;
 * see {@link NodeView}), and that
 * server is still a master under the same run_id now, so no write of the walk can have been lost to a failover or a
 * restart. A slice of slot ranges vouches for its own slots; the cursor-bits slices of one server vouch together,
 * once all of them are walked under one process, for the slots steady in every one of them. A run is
 * marked applied only when every slot is proven for every key pattern and type.
 */
public final class SlotProof {

    private SlotProof() {}

    /**
     * The slots proven walked for every pattern and type, by the checkpoints of one job instance (a walk), as of the
     * topology {@code now}. Walks of one run add up: the caller unites what each instance proves.
     */
    public static SlotSet proven(List<SliceCheckpoint> walk, Topology now) {
        Map<String, List<SliceCheckpoint>> byKeyspace = new LinkedHashMap<>();
        for (SliceCheckpoint checkpoint : walk) {
            byKeyspace
                    .computeIfAbsent(
                            checkpoint.pattern() + "\0"
                                    + (checkpoint.type() == null
                                            ? ""
                                            : checkpoint.type().redisName()),
                            keyspace -> new ArrayList<>())
                    .add(checkpoint);
        }
        SlotSet proven = null;
        for (List<SliceCheckpoint> keyspace : byKeyspace.values()) {
            SlotSet slots = provenFor(keyspace, now);
            proven = proven == null ? slots : proven.and(slots);
        }
        return proven == null ? SlotSet.NONE : proven;
    }

    private static SlotSet provenFor(List<SliceCheckpoint> keyspace, Topology now) {
        SlotSet proven = SlotSet.NONE;
        Map<String, List<SliceCheckpoint>> cursorBitSlicesByServer = new LinkedHashMap<>();
        for (SliceCheckpoint checkpoint : keyspace) {
            if (checkpoint.slice() instanceof SlotRangeSlice range) {
                proven =
                        proven.or(vouchedFor(List.of(checkpoint), now).and(SlotSet.range(range.first(), range.last())));
            } else {
                ScanSlice bits = (ScanSlice) checkpoint.slice();
                cursorBitSlicesByServer
                        .computeIfAbsent(checkpoint.node() + "/" + bits.bits(), server -> new ArrayList<>())
                        .add(checkpoint);
            }
        }
        for (List<SliceCheckpoint> server : cursorBitSlicesByServer.values()) {
            int count = ((ScanSlice) server.get(0).slice()).count();
            long distinct = server.stream()
                    .mapToInt(checkpoint -> ((ScanSlice) checkpoint.slice()).index())
                    .distinct()
                    .count();
            if (distinct == count) {
                proven = proven.or(vouchedFor(server, now));
            }
        }
        return proven;
    }

    /**
     * The slots that slices of one server, together covering their share of its keyspace, vouch for: none unless
     * every one was walked to its end under one process (one hash seed, so the slices still cut its table as they
     * did) that is still a master now; then the slots steady throughout every one of them.
     */
    private static SlotSet vouchedFor(List<SliceCheckpoint> slices, Topology now) {
        NodeView first = slices.get(0).viewAtStart();
        if (first == null || !stillMasterUnder(slices.get(0).node(), first, now)) {
            return SlotSet.NONE;
        }
        SlotSet steady = SlotSet.ALL;
        for (SliceCheckpoint slice : slices) {
            NodeView start = slice.viewAtStart();
            NodeView end = slice.viewAtEnd();
            if (!slice.finished()
                    || start == null
                    || end == null
                    || slice.steadySlots() == null
                    || !first.runId().equals(start.runId())
                    || !start.sameProcess(end)) {
                return SlotSet.NONE;
            }
            steady = steady.and(slice.steadySlots()).and(slice.walkSlots());
        }
        return steady;
    }

    private static boolean stillMasterUnder(String node, NodeView view, Topology now) {
        Optional<Topology.Master> master =
                node.isEmpty() ? now.masters().stream().findFirst() : now.master(node);
        return master.map(it -> it.runId().equals(view.runId())).orElse(false);
    }

    /** The slots as a short text for a log line: how many, and their first few ranges. */
    public static String describe(SlotSet slots) {
        List<int[]> ranges = slots.ranges();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(4, ranges.size()); i++) {
            text.append(i == 0 ? "" : ",").append(ranges.get(i)[0]);
            if (ranges.get(i)[1] != ranges.get(i)[0]) {
                text.append('-').append(ranges.get(i)[1]);
            }
        }
        return slots.size() + " slot(s) (" + text + (ranges.size() > 4 ? ",..." : "") + ")";
    }
}
