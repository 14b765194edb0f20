package dev.redisombatch.batch.data.partition;

import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.migration.RedisType;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The one owner of what a partition keeps in its Spring Batch execution context: which slice of which key pattern it
 * walks (written once by the partitioner), how far it got, and what it counted (written at each chunk commit, that
 * is after each page was written). Every key is namespaced; nothing else reads or writes these entries. A restarted
 * partition execution inherits its predecessor's context, so the counts run on across executions.
 *
 * @param pattern the SCAN MATCH pattern
 * @param type the type of the keys walked, for SCAN's TYPE filter (hash when an older checkpoint has none)
 * @param node the cluster master whose keyspace is walked, by node id; empty for a single server
 * @param slice the slice of that keyspace, of the kind cut for that server's SCAN cursor layout (its kind is kept,
 *        so that a resume on a server of another layout sees it)
 * @param keysPerSlice DBSIZE divided by the slice count when the partitions were made, for sizing the last SCAN calls
 * @param cursor the cursor of the next page to read, or null before the first page
 * @param runId the server's run_id when the cursor was saved (a cursor means nothing to another server process)
 * @param topologyAtStart the {@link dev.redisombatch.batch.redis.Topology#fingerprint()} when the walk of the slice
 *        began; empty before
 * @param topologyAtEnd the same when it ended (or, for a master that is gone, {@code gone:<node id>}); empty before
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
        String cursor,
        String runId,
        boolean finished,
        boolean endedAtPageBoundary,
        String topologyAtStart,
        String topologyAtEnd,
        DocumentCounts counts) {

    private static final String PREFIX = "redis-om-batch.slice.";
    private static final String PATTERN = PREFIX + "pattern";
    private static final String TYPE = PREFIX + "type";
    private static final String NODE = PREFIX + "node";
    private static final String TOPOLOGY_AT_START = PREFIX + "topologyAtStart";
    private static final String TOPOLOGY_AT_END = PREFIX + "topologyAtEnd";
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
            String pattern, RedisType type, String node, KeyspaceSlice slice, long keysPerSlice) {
        return new SliceCheckpoint(
                pattern, type, node, slice, keysPerSlice, null, "", false, true, "", "", DocumentCounts.NONE);
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
                typeNamed(context.getString(TYPE, "hash")),
                context.getString(NODE, ""),
                slice,
                context.getLong(KEYS_PER_SLICE, 0),
                context.containsKey(CURSOR) ? context.getString(CURSOR) : null,
                context.getString(RUN_ID, ""),
                Boolean.parseBoolean(context.getString(FINISHED, "false")),
                Boolean.parseBoolean(context.getString(ENDED_AT_PAGE_BOUNDARY, "true")),
                context.getString(TOPOLOGY_AT_START, ""),
                context.getString(TOPOLOGY_AT_END, ""),
                counts);
    }

    private static RedisType typeNamed(String name) {
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
        context.putString(TYPE, type.redisName());
        context.putString(NODE, node);
        context.putString(TOPOLOGY_AT_START, topologyAtStart);
        context.putString(TOPOLOGY_AT_END, topologyAtEnd);
        writeSlice(context);
        context.putLong(KEYS_PER_SLICE, keysPerSlice);
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
        return new SliceCheckpoint(
                pattern,
                type,
                node,
                slice,
                keysPerSlice,
                cursor,
                runId,
                finished,
                endedAtPageBoundary,
                topologyAtStart,
                topologyAtEnd,
                counts);
    }

    /** The same slice, with the topologies its walk began and ended under. */
    public SliceCheckpoint walkedUnder(String atStart, String atEnd) {
        return new SliceCheckpoint(
                pattern,
                type,
                node,
                slice,
                keysPerSlice,
                cursor,
                runId,
                finished,
                endedAtPageBoundary,
                atStart,
                atEnd,
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
