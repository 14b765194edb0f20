package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.ServerInfo;
import dev.redisombatch.batch.redis.TransientFaults;
import dev.redisombatch.migration.Document;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads the documents of one SCAN slice, a page at a time: one pipeline for {@code INFO server} + SCAN, one for the
 * values of the page's keys.
 *
 * <p>Checkpoint, written at each chunk commit: the cursor that produced the page being consumed, the position in it,
 * and the server's run_id. A resumed partition reads that page again from its start: pages are not stable over time
 * (keys come and go, the table rehashes), so skipping by position could skip keys never processed. That re-reads at
 * most one page per partition; transforms are idempotent and unchanged documents are not written. A changed run_id
 * means another server process with another hash seed, where the cursor means nothing: the slice starts over.
 */
public final class ScanSliceReader implements ItemStreamReader<Document> {

    private static final Logger log = LoggerFactory.getLogger(ScanSliceReader.class);
    static final String CURSOR = "scan.cursor";
    static final String POSITION = "scan.position";
    static final String RUN_ID = "scan.runId";
    static final String FINISHED = "scan.finished";

    private final String partitionName;
    private final String pattern;
    private final ScanSlice slice;
    private final int scanCount;
    private final long keysPerSlice;
    private final DocumentSource documents;
    private final Supplier<PipelinedConnection> connection;
    private final TransientFaults transientFaults;
    private final PartitionProgress progress;
    private final Runnable beforeEachPage;

    private String runId;
    private String pageCursor;
    private String nextCursor;
    private boolean finished;
    private List<Document> page = List.of();
    private int position;

    public ScanSliceReader(String partitionName, String pattern, ScanSlice slice, int scanCount, long keysPerSlice,
            DocumentSource documents, Supplier<PipelinedConnection> connection, TransientFaults transientFaults,
            PartitionProgress progress, Runnable beforeEachPage) {
        this.partitionName = partitionName;
        this.pattern = pattern;
        this.slice = slice;
        this.scanCount = scanCount;
        this.keysPerSlice = keysPerSlice;
        this.documents = documents;
        this.connection = connection;
        this.transientFaults = transientFaults;
        this.progress = progress;
        this.beforeEachPage = beforeEachPage;
    }

    @Override
    public void open(ExecutionContext context) {
        runId = transientFaults.call("INFO server", () -> {
            PipelinedConnection conn = connection.get();
            RedisFuture<String> info = conn.commands().info("server");
            conn.flush();
            return ServerInfo.runId(conn.await(info));
        });
        finished = context.containsKey(FINISHED) && Boolean.parseBoolean(context.getString(FINISHED));
        nextCursor = slice.startCursor();
        if (context.containsKey(CURSOR) && !finished) {
            String savedRunId = context.getString(RUN_ID, "");
            if (savedRunId.equals(runId)) {
                nextCursor = context.getString(CURSOR);
                log.info("{} resumes at cursor {} (the page there is read again from its start; {} of its keys were"
                        + " done)", partitionName, nextCursor, context.getInt(POSITION, 0));
            } else {
                log.warn("{}: the Redis server changed (run_id {} -> {}), so its saved cursor means nothing here;"
                        + " rescanning this slice from its start", partitionName, savedRunId, runId);
            }
        }
        progress.fractionDone(finished ? 1 : slice.fractionDone(nextCursor));
    }

    @Override
    public Document read() {
        while (position == page.size()) {
            if (finished) {
                return null;
            }
            readNextPage();
        }
        return page.get(position++);
    }

    private void readNextPage() {
        beforeEachPage.run();
        pageCursor = nextCursor;
        transientFaults.call("SCAN " + pattern, () -> {
            PipelinedConnection conn = connection.get();
            RedisFuture<String> info = conn.commands().info("server");
            RedisFuture<KeyScanCursor<String>> scan = conn.commands().scan(ScanCursor.of(pageCursor),
                    KeyScanArgs.Builder.matches(pattern).limit(slice.countHint(pageCursor, keysPerSlice, scanCount))
                            .type(documents.redisType()));
            conn.flush();
            String currentRunId = ServerInfo.runId(conn.await(info));
            KeyScanCursor<String> keys = conn.await(scan);
            if (!currentRunId.equals(runId)) {
                log.warn("{}: the Redis server restarted or failed over (run_id {} -> {}); rescanning this slice"
                        + " from its start", partitionName, runId, currentRunId);
                runId = currentRunId;
                pageCursor = slice.startCursor();
                nextCursor = pageCursor;
                page = List.of();
                position = 0;
                return null;
            }
            page = documents.load(conn, keys.getKeys());
            position = 0;
            nextCursor = keys.getCursor();
            finished = keys.isFinished() || !slice.contains(nextCursor);
            return null;
        });
        progress.addRead(page.size());
        progress.fractionDone(finished ? 1 : slice.fractionDone(nextCursor));
    }

    @Override
    public void update(ExecutionContext context) {
        boolean pageDone = position == page.size();
        context.putString(RUN_ID, runId);
        context.putString(FINISHED, Boolean.toString(pageDone && finished));
        context.putString(CURSOR, pageDone ? nextCursor : pageCursor);
        context.putInt(POSITION, pageDone ? 0 : position);
    }
}
