package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.data.partition.ScanSlice;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Where one partition of a copy is, kept in its step's execution context and saved at each chunk commit: its SCAN
 * slice of the source, the cursor of the next page (null before the first), the source's run_id that cursor belongs
 * to, whether the slice is done, and the keys copied and found gone so far.
 */
record CopyCheckpoint(
        ScanSlice slice, long keysPerSlice, String cursor, String runId, boolean finished, long copied, long gone) {

    private static final String INDEX = "copy.slice.index";
    private static final String BITS = "copy.slice.bits";
    private static final String KEYS_PER_SLICE = "copy.keysPerSlice";
    private static final String CURSOR = "copy.cursor";
    private static final String RUN_ID = "copy.runId";
    private static final String FINISHED = "copy.finished";
    private static final String COPIED = "copy.copied";
    private static final String GONE = "copy.gone";

    static CopyCheckpoint start(ScanSlice slice, long keysPerSlice) {
        return new CopyCheckpoint(slice, keysPerSlice, null, "", false, 0, 0);
    }

    static CopyCheckpoint from(ExecutionContext context) {
        return new CopyCheckpoint(
                new ScanSlice(context.getInt(INDEX), context.getInt(BITS)),
                context.getLong(KEYS_PER_SLICE),
                context.containsKey(CURSOR) ? context.getString(CURSOR) : null,
                context.getString(RUN_ID, ""),
                context.containsKey(FINISHED) && (Boolean) context.get(FINISHED),
                context.getLong(COPIED, 0),
                context.getLong(GONE, 0));
    }

    CopyCheckpoint at(String cursor, String runId, boolean finished, long copied, long gone) {
        return new CopyCheckpoint(slice, keysPerSlice, cursor, runId, finished, copied, gone);
    }

    void writeTo(ExecutionContext context) {
        context.putInt(INDEX, slice.index());
        context.putInt(BITS, slice.bits());
        context.putLong(KEYS_PER_SLICE, keysPerSlice);
        if (cursor != null) {
            context.putString(CURSOR, cursor);
        }
        context.putString(RUN_ID, runId);
        context.put(FINISHED, finished);
        context.putLong(COPIED, copied);
        context.putLong(GONE, gone);
    }
}
