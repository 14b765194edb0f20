package dev.redisombatch.batch.data.partition;

import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.redis.NodeView;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.migration.RedisType;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The one owner of what a partition keeps in its Spring Batch execution context: which slice of which key pattern it
 * walks (written once by the partitioner), how far it got, and what it counted (written at each chunk commit, that
 * is after each page was written). Every key is namespaced; nothing else reads or writes these entries. A restarted
 * partition execution inherits its predecessor's context, so the counts run on across executions.
 *
 * @param pattern the SCAN MATCH pattern
 * @param type the type of the keys walked, for SCAN's TYPE filter (hash when an older checkpoint has none); null for
 *        keys of every type, as a copy walks them
 * @param node the cluster master whose keyspace is walked, by node id; empty for a single server
 * @param slice the slice of that keyspace, of the kind cut for that server's SCAN cursor layout (its kind is kept,
 *        so that a resume on a server of another layout sees it)
 * @param keysPerSlice DBSIZE divided by the slice count when the partitions were made, for sizing the last SCAN calls
 * @param walkSlots the slots whose keys this walk reads (every slot on a first walk; the ones not yet proven walked
 *        on a later one): a key of another slot that SCAN returns is passed over
 * @param cursor the cursor of the next page to read, or null before the first page
 * @param runId the server's run_id when the cursor was saved (a cursor means nothing to another server process)
 * @param viewAtStart what the server said of itself ({@link NodeView}) when the walk of the slice began; null before
 * @param viewAtEnd the same when it ended ({@link NodeView#NOT_MASTER} for a master that is gone, or a slice cut for
 *        another SCAN layout); null before
 * @param steadySlots the slots the server owned and was not moving every time the walk looked (at its start, with
 *        every page, at its end); null before it started
 * @param finished whether the slice has been walked to its end
 * @param endedAtPageBoundary the last execution stopped between pages (SIGTERM), so no page was in flight; false
 *        after a crash or a failure, when the page at {@code cursor} may have been read and partly written
 * @param counts what the partition counted so far, over every execution of it
 */
public record SliceCheckpoint(
        String pattern,
        RedisType type,
        String node,
        KeyspaceSlice slice,
        long keysPerSlice,
        SlotSet walkSlots,
        String cursor,
        String runId,
        boolean finished,
        boolean endedAtPageBoundary,
        NodeView viewAtStart,
        NodeView viewAtEnd,
        SlotSet steadySlots,
        DocumentCounts counts) {

    private static final String PREFIX = "redis-om-batch.slice.";
    private static final String PATTERN = PREFIX + "pattern";
    private static final String TYPE = PREFIX + "type";
    private static final String NODE = PREFIX + "node";
    private static final String VIEW_AT_START = PREFIX + "viewAtStart";
    private static final String VIEW_AT_END = PREFIX + "viewAtEnd";
    private static final String WALK_SLOTS = PREFIX + "walkSlots";
    private static final String STEADY_SLOTS = PREFIX + "steadySlots";
    private static final String INDEX = PREFIX + "index";
    private static final String BITS = PREFIX + "bits";
    private static final String KEYS_PER_SLICE = PREFIX + "keysPerSlice";
    private static final String CURSOR = PREFIX + "cursor";
    private static final String RUN_ID = PREFIX + "runId";
    private static final String FINISHED = PREFIX + "finished";
    private static final String ENDED_AT_PAGE_BOUNDARY = PREFIX + "endedAtPageBoundary";
    private static final String COUNTS = "redis-om-batch.counts.";

    /** A partition that has not started: what the partitioner hands out. */
    public static SliceCheckpoint start(
            String pattern, RedisType type, String node, KeyspaceSlice slice, long keysPerSlice, SlotSet walkSlots) {
        return new SliceCheckpoint(
                pattern,
                type,
                node,
                slice,
                keysPerSlice,
                walkSlots,
                null,
                "",
                false,
                true,
                null,
                null,
                null,
                DocumentCounts.NONE);
    }

    public static SliceCheckpoint from(ExecutionContext context) {
        KeyspaceSlice slice = sliceFrom(context);
        DocumentCounts counts = new DocumentCounts(
                context.getLong(COUNTS + "read", 0),
                context.getLong(COUNTS + "changed", 0),
                context.getLong(COUNTS + "unchanged", 0),
                context.getLong(COUNTS + "skipped", 0),
                context.getLong(COUNTS + "conflict", 0),
                context.getLong(COUNTS + "gone", 0),
                context.getLong(COUNTS + "reread", 0));
        return new SliceCheckpoint(
                context.getString(PATTERN),
                typeNamed(context.getString(TYPE, RedisType.HASH.redisName())),
                context.getString(NODE, ""),
                slice,
                context.getLong(KEYS_PER_SLICE, 0),
                context.containsKey(WALK_SLOTS) ? SlotSet.parse(context.getString(WALK_SLOTS)) : SlotSet.ALL,
                context.containsKey(CURSOR) ? context.getString(CURSOR) : null,
                context.getString(RUN_ID, ""),
                Boolean.parseBoolean(context.getString(FINISHED, "false")),
                Boolean.parseBoolean(context.getString(ENDED_AT_PAGE_BOUNDARY, "true")),
                viewFrom(context, VIEW_AT_START),
                viewFrom(context, VIEW_AT_END),
                context.containsKey(STEADY_SLOTS) ? SlotSet.parse(context.getString(STEADY_SLOTS)) : null,
                counts);
    }

    /** An older checkpoint kept a topology digest there, which says nothing of one server: no view, so unproven. */
    private static NodeView viewFrom(ExecutionContext context, String key) {
        String text = context.getString(key, "");
        return text.isEmpty() ? null : NodeView.decode(text);
    }

    /** Null for the empty name: keys of every type. */
    private static RedisType typeNamed(String name) {
        if (name.isEmpty()) {
            return null;
        }
        for (RedisType type : RedisType.values()) {
            if (type.redisName().equals(name)) {
                return type;
            }
        }
        throw new IllegalStateException("a checkpoint names an unknown key type: " + name);
    }

    /** Whether an execution context holds a slice at all (a manager step's does not). */
    public static boolean isIn(ExecutionContext context) {
        return context.containsKey(INDEX) && context.containsKey(BITS) || context.containsKey(SLOT_RANGE);
    }

    public void writeTo(ExecutionContext context) {
        context.putString(PATTERN, pattern);
        context.putString(TYPE, type == null ? "" : type.redisName());
        context.putString(NODE, node);
        context.putString(VIEW_AT_START, viewAtStart == null ? "" : viewAtStart.encode());
        context.putString(VIEW_AT_END, viewAtEnd == null ? "" : viewAtEnd.encode());
        writeSlice(context);
        context.putLong(KEYS_PER_SLICE, keysPerSlice);
        if (!walkSlots.isAll()) {
            context.putString(WALK_SLOTS, walkSlots.toString());
        }
        if (steadySlots != null) {
            context.putString(STEADY_SLOTS, steadySlots.toString());
        } else {
            context.remove(STEADY_SLOTS);
        }
        if (cursor != null) {
            context.putString(CURSOR, cursor);
        }
        context.putString(RUN_ID, runId);
        context.putString(FINISHED, Boolean.toString(finished));
        context.putString(ENDED_AT_PAGE_BOUNDARY, Boolean.toString(endedAtPageBoundary));
        context.putLong(COUNTS + "read", counts.read());
        context.putLong(COUNTS + "changed", counts.changed());
        context.putLong(COUNTS + "unchanged", counts.unchanged());
        context.putLong(COUNTS + "skipped", counts.skipped());
        context.putLong(COUNTS + "conflict", counts.conflict());
        context.putLong(COUNTS + "gone", counts.gone());
        context.putLong(COUNTS + "reread", counts.reread());
    }

    /** The same slice, progressed. */
    public SliceCheckpoint at(
            String cursor, String runId, boolean finished, boolean endedAtPageBoundary, DocumentCounts counts) {
        return with(cursor, runId, finished, endedAtPageBoundary, viewAtStart, viewAtEnd, steadySlots, counts);
    }

    /**
     * The same slice, with what its server said of itself when its walk began and, once it ended, then: a walk that
     * begins (again) starts its steady slots afresh; one that ends keeps those still steady.
     */
    public SliceCheckpoint walkedUnder(NodeView atStart, NodeView atEnd) {
        SlotSet steady = atStart == null
                ? SlotSet.NONE
                : atEnd == null
                        ? atStart.steadySlots()
                        : (steadySlots == null ? atStart.steadySlots() : steadySlots).and(atEnd.steadySlots());
        return with(cursor, runId, finished, endedAtPageBoundary, atStart, atEnd, steady, counts);
    }

    /** The same slice, having seen its server say {@code view} while walking it: the slots still steady. */
    public SliceCheckpoint sawDuringWalk(NodeView view) {
        if (steadySlots == null) {
            return this;
        }
        return with(
                cursor,
                runId,
                finished,
                endedAtPageBoundary,
                viewAtStart,
                viewAtEnd,
                steadySlots.and(view.steadySlots()),
                counts);
    }

    private SliceCheckpoint with(
            String cursor,
            String runId,
            boolean finished,
            boolean endedAtPageBoundary,
            NodeView viewAtStart,
            NodeView viewAtEnd,
            SlotSet steadySlots,
            DocumentCounts counts) {
        return new SliceCheckpoint(
                pattern,
                type,
                node,
                slice,
                keysPerSlice,
                walkSlots,
                cursor,
                runId,
                finished,
                endedAtPageBoundary,
                viewAtStart,
                viewAtEnd,
                steadySlots,
                counts);
    }

    /** Share of the slice walked, from 0 to 1. */
    public double fractionWalked() {
        if (finished) {
            return 1;
        }
        return cursor == null ? 0 : slice.fractionDone(cursor);
    }

    // A slot range is kept as "first-last-ownedFirst-ownedLast"; a checkpoint without one (older ones too) holds a
    // cursor-bits slice.
    private static final String SLOT_RANGE = PREFIX + "slotRange";

    private static KeyspaceSlice sliceFrom(ExecutionContext context) {
        if (!context.containsKey(SLOT_RANGE)) {
            return new ScanSlice(context.getInt(INDEX), context.getInt(BITS));
        }
        String[] slots = context.getString(SLOT_RANGE).split("-");
        return new SlotRangeSlice(
                Integer.parseInt(slots[0]),
                Integer.parseInt(slots[1]),
                Integer.parseInt(slots[2]),
                Integer.parseInt(slots[3]));
    }

    private void writeSlice(ExecutionContext context) {
        if (slice instanceof SlotRangeSlice range) {
            context.putString(
                    SLOT_RANGE,
                    range.first() + "-" + range.last() + "-" + range.ownedFirst() + "-" + range.ownedLast());
        } else {
            ScanSlice bits = (ScanSlice) slice;
            context.putInt(INDEX, bits.index());
            context.putInt(BITS, bits.bits());
        }
    }
}
