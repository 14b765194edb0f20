package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.data.partition.ScanSlice;
import dev.redisombatch.batch.data.partition.SliceOvershoot;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.OwnKeys;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.ServerInfo;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads one SCAN slice of the source a page at a time, each key as {@code DUMP} serialises it and when it expires, in
 * one pipeline per page with {@code INFO server} ({@link KeyDumps}): only reads, so the source gets no write at all. A
 * changed run_id (another server process, whose cursor means nothing) walks the slice again from its start.
 */
final class SourceReader implements ItemStreamReader<List<DumpedKey>> {

    private static final Logger log = LoggerFactory.getLogger(SourceReader.class);

    private final String name;
    private final RedisEndpoint source;
    private final int scanCount;
    private final PartitionProgress progress;
    private final Runnable beforeEachPage;

    private PipelinedConnection connection;
    private CopyCheckpoint checkpoint;
    private String runId;
    private String nextCursor;
    private boolean finished;
    /** What the progress counted when the checkpoint was last saved: the checkpoint adds what came since. */
    private long copiedBefore;

    private long goneBefore;

    SourceReader(
            String name, RedisEndpoint source, int scanCount, PartitionProgress progress, Runnable beforeEachPage) {
        this.name = name;
        this.source = source;
        this.scanCount = scanCount;
        this.progress = progress;
        this.beforeEachPage = beforeEachPage;
    }

    @Override
    public void open(ExecutionContext context) {
        checkpoint = CopyCheckpoint.from(context);
        finished = checkpoint.finished();
        runId = checkpoint.runId();
        nextCursor = checkpoint.cursor() == null ? checkpoint.slice().startCursor() : checkpoint.cursor();
        progress.fractionDone(finished ? 1 : checkpoint.slice().fractionDone(nextCursor));
    }

    @Override
    public List<DumpedKey> read() {
        if (finished) {
            return null;
        }
        beforeEachPage.run();
        List<DumpedKey> page = source.transientFaults().call("SCAN and DUMP the source", this::readPage);
        progress.read(page.size(), false);
        progress.fractionDone(finished ? 1 : checkpoint.slice().fractionDone(nextCursor));
        return page;
    }

    private List<DumpedKey> readPage() {
        if (connection == null) {
            connection = source.openPipelined();
        }
        ScanSlice slice = checkpoint.slice();
        RedisFuture<String> info = connection.reads().info("server");
        KeyScanArgs arguments =
                KeyScanArgs.Builder.limit(slice.countHint(nextCursor, checkpoint.keysPerSlice(), scanCount));
        RedisFuture<KeyScanCursor<byte[]>> scan = connection.reads().scan(ScanCursor.of(nextCursor), arguments);
        connection.flush();
        String currentRunId = ServerInfo.runId(connection.await(info));
        if (!runId.isEmpty() && !runId.equals(currentRunId)) {
            log.warn(
                    "{}: the source restarted or was replaced (run_id {} -> {}); copying this slice again from its"
                            + " start",
                    name,
                    runId,
                    currentRunId);
            connection.await(scan);
            runId = currentRunId;
            nextCursor = slice.startCursor();
            return List.of();
        }
        runId = currentRunId;
        KeyScanCursor<byte[]> keys = connection.await(scan);
        String returned = keys.getCursor();
        boolean endsTheSlice = keys.isFinished() || !slice.contains(returned);
        List<byte[]> pageKeys = keys.getKeys();
        if (endsTheSlice && !keys.isFinished()) {
            // Keys past the slice's end are the next slices' to copy: each key is copied once.
            pageKeys = SliceOvershoot.withoutKeysPastTheEnd(connection, slice, arguments, returned, runId, pageKeys);
        }
        KeyDumps dumps = KeyDumps.read(connection, OwnKeys.without(pageKeys));
        progress.gone(dumps.gone().size());
        nextCursor = returned;
        finished = endsTheSlice;
        return dumps.present();
    }

    /** Called at each chunk commit, once the pages read since the last have been written to the target. */
    @Override
    public void update(ExecutionContext context) {
        checkpoint = checkpoint.at(
                nextCursor,
                runId,
                finished,
                checkpoint.copied() + progress.counts().changed() - copiedBefore,
                checkpoint.gone() + progress.counts().gone() - goneBefore);
        copiedBefore = progress.counts().changed();
        goneBefore = progress.counts().gone();
        checkpoint.writeTo(context);
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
