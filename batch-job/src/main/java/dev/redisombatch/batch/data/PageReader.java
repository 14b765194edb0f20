package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.ServerInfo;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads one SCAN slice a page at a time: one pipeline for {@code INFO server} + SCAN, one for the documents of the
 * page's keys. Each page is one item, so the checkpoint ({@link SliceCheckpoint}, saved at each chunk commit, after
 * the page was written) is simply the cursor of the next page. A partition resumed after a crash reads the page that
 * was in flight again (transforms are idempotent, and a document already migrated is unchanged).
 *
 * <p>A changed run_id means another server process, with another hash seed, where the cursor means nothing: the
 * slice starts over from its first cursor.
 */
final class PageReader implements ItemStreamReader<DocumentPage>, StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(PageReader.class);

    private final PartitionSession session;
    private final DocumentStore store;
    private final int scanCount;
    private final Runnable beforeEachPage;

    private SliceCheckpoint checkpoint;
    private DocumentCounts countedEarlier;
    private String runId;
    private String nextCursor;
    private boolean finished;
    private boolean nextPageIsReread;
    private boolean pageInFlight;

    /** @param beforeEachPage throws when the run may not go on (its lock is lost, its error budget spent) */
    PageReader(PartitionSession session, DocumentStore store, int scanCount, Runnable beforeEachPage) {
        this.session = session;
        this.store = store;
        this.scanCount = scanCount;
        this.beforeEachPage = beforeEachPage;
    }

    @Override
    public void open(ExecutionContext context) {
        checkpoint = SliceCheckpoint.from(context);
        countedEarlier = checkpoint.counts();
        runId = session.faults().call("INFO server", () -> {
            PipelinedConnection connection = session.connection();
            RedisFuture<String> info = connection.commands().info("server");
            connection.flush();
            return ServerInfo.runId(connection.await(info));
        });
        finished = checkpoint.finished();
        nextCursor = checkpoint.slice().startCursor();
        if (checkpoint.cursor() != null && !finished) {
            if (checkpoint.runId().equals(runId)) {
                nextCursor = checkpoint.cursor();
                nextPageIsReread = !checkpoint.endedAtPageBoundary();
                log.info("{} resumes at cursor {}", session.name(), nextCursor);
            } else {
                log.warn("{}: the Redis server changed (run_id {} -> {}), so its saved cursor means nothing here;"
                        + " walking this slice again from its start", session.name(), checkpoint.runId(), runId);
            }
        }
        session.progress().fractionDone(finished ? 1 : checkpoint.slice().fractionDone(nextCursor));
    }

    @Override
    public DocumentPage read() {
        if (finished) {
            return null;
        }
        beforeEachPage.run();
        String cursor = nextCursor;
        DocumentPage page = session.faults().call("SCAN " + checkpoint.pattern(), () -> readPage(cursor));
        pageInFlight = true;
        session.progress().read(page.documents().size(), page.reread());
        session.progress().fractionDone(finished ? 1 : checkpoint.slice().fractionDone(nextCursor));
        return page;
    }

    private DocumentPage readPage(String cursor) {
        PipelinedConnection connection = session.connection();
        ScanSlice slice = checkpoint.slice();
        RedisFuture<String> info = connection.commands().info("server");
        KeyScanArgs arguments = KeyScanArgs.Builder.limit(slice.countHint(cursor, checkpoint.keysPerSlice(),
                scanCount)).type(store.scanType());
        arguments.match(checkpoint.pattern(), StandardCharsets.UTF_8);
        RedisFuture<KeyScanCursor<byte[]>> scan = connection.commands().scan(ScanCursor.of(cursor), arguments);
        connection.flush();
        String currentRunId = ServerInfo.runId(connection.await(info));
        KeyScanCursor<byte[]> keys = connection.await(scan);
        if (!currentRunId.equals(runId)) {
            log.warn("{}: the Redis server restarted or failed over (run_id {} -> {}); walking this slice again from"
                    + " its start", session.name(), runId, currentRunId);
            runId = currentRunId;
            nextCursor = slice.startCursor();
            nextPageIsReread = false;
            return new DocumentPage(List.of(), false);
        }
        List<StoredDocument> documents = store.load(connection, keys.getKeys());
        nextCursor = keys.getCursor();
        finished = keys.isFinished() || !slice.contains(nextCursor);
        boolean reread = nextPageIsReread;
        nextPageIsReread = false;
        return new DocumentPage(documents, reread);
    }

    /** Called at each chunk commit, once the page read last has been written. */
    @Override
    public void update(ExecutionContext context) {
        pageInFlight = false;
        checkpoint = checkpoint.at(nextCursor, runId, finished, false,
                countedEarlier.plus(session.progress().counts()));
        checkpoint.writeTo(context);
    }

    /**
     * A stop (SIGTERM) ends the step between pages: then the next execution does not read a page a second time, and
     * the checkpoint says so. After a crash or a failed page it does.
     */
    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (!pageInFlight && checkpoint != null) {
            checkpoint.at(checkpoint.cursor(), checkpoint.runId(), checkpoint.finished(), true, checkpoint.counts())
                    .writeTo(stepExecution.getExecutionContext());
        }
        return null;
    }
}
