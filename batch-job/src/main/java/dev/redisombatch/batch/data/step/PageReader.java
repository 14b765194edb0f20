package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.partition.KeyspaceSlice;
import dev.redisombatch.batch.data.partition.ScanSlice;
import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.partition.SliceOvershoot;
import dev.redisombatch.batch.data.partition.SlotRangeSlice;
import dev.redisombatch.batch.data.store.DocumentStore;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.redis.NodeView;
import dev.redisombatch.batch.redis.OwnKeys;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.ScanLayout;
import dev.redisombatch.batch.redis.ServerInfo;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads one SCAN slice of one server (the single server, or a cluster master) a page at a time: one pipeline for
 * {@code INFO server} + SCAN, one for the documents of the page's keys. Each page is one item, so the checkpoint
 * ({@link SliceCheckpoint}, saved at each chunk commit, after the page was written) is simply the cursor of the next
 * page. A partition resumed after a crash reads the page that was in flight again (transforms are idempotent, and a
 * document already migrated is unchanged).
 *
 * <p>A changed run_id means another server process, with another hash seed, where the cursor means nothing: the
 * slice starts over from its first cursor. What the server said of itself when the walk began and when it ended
 * ({@link NodeView}) is kept, so that the run can tell which slots the walk proves walked ({@code SlotProof}); a
 * cluster master that is no longer one ends its partitions at once, proving nothing, so that its slots are walked
 * again on the masters that hold them now. On a later walk of a run, keys of slots already proven are passed over.
 *
 * <p>The last SCAN call of a slice runs on past the slice's end; the keys it read there belong to the slices after
 * it, and are passed over so that each key is read by one partition: by their slots on a slice of slot ranges, found
 * by {@link SliceOvershoot} on a slice of cursor bits.
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
    private SlotSet slotsRead;

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
        finished = checkpoint.finished();
        nextCursor = checkpoint.slice().startCursor();
        Topology topology = session.faults().call("read the topology", session::topology);
        if (!finished && topology.master(checkpoint.node()).isEmpty()) {
            endBecauseGone();
            return;
        }
        runId = topology.master(checkpoint.node())
                .map(Topology.Master::runId)
                .orElseGet(() -> topology.masters().get(0).runId());
        if (checkpoint.cursor() != null && !finished) {
            if (checkpoint.runId().equals(runId)) {
                nextCursor = checkpoint.cursor();
                nextPageIsReread = !checkpoint.endedAtPageBoundary();
                log.info("{} resumes at cursor {}", session.name(), nextCursor);
            } else {
                log.warn(
                        "{}: the Redis server changed (run_id {} -> {}), so its saved cursor means nothing here;"
                                + " walking this slice again from its start",
                        session.name(),
                        checkpoint.runId(),
                        runId);
            }
        }
        if (!finished && (checkpoint.viewAtStart() == null || !nextCursor.equals(checkpoint.cursor()))) {
            checkpoint =
                    checkpoint.walkedUnder(session.faults().call("read the server's view", session::nodeView), null);
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
        boolean[] failedBefore = {false};
        DocumentPage page;
        try {
            page = session.faults().call("SCAN " + checkpoint.pattern(), () -> {
                if (failedBefore[0] && !session.serverStillMaster()) {
                    throw new ServerGoneException();
                }
                failedBefore[0] = true;
                return readPage(cursor);
            });
        } catch (ServerGoneException gone) {
            endBecauseGone();
            return new DocumentPage(List.of(), false);
        } catch (CutForAnotherLayoutException another) {
            endBecauseCutForAnotherLayout(another.layout);
            return new DocumentPage(List.of(), false);
        }
        pageInFlight = true;
        if (finished) {
            checkpoint = checkpoint.walkedUnder(
                    checkpoint.viewAtStart(), session.faults().call("read the server's view", session::nodeView));
        }
        session.progress().read(page.documents().size(), page.reread());
        session.progress().fractionDone(finished ? 1 : checkpoint.slice().fractionDone(nextCursor));
        return page;
    }

    private DocumentPage readPage(String cursor) {
        PipelinedConnection connection = session.connection();
        KeyspaceSlice slice = checkpoint.slice();
        RedisFuture<String> info = connection.reads().info("server");
        // On a cluster, what the master says of its slots with every page: a slot that leaves it and comes back during
        // the walk is seen gone at some page, so the walk does not vouch for it.
        RedisFuture<String> nodes =
                checkpoint.node().isEmpty() ? null : connection.reads().clusterNodes();
        KeyScanArgs arguments = KeyScanArgs.Builder.limit(slice.countHint(cursor, checkpoint.keysPerSlice(), scanCount))
                .type(store.scanType());
        arguments.match(checkpoint.pattern(), StandardCharsets.UTF_8);
        RedisFuture<KeyScanCursor<byte[]>> scan = connection.reads().scan(ScanCursor.of(cursor), arguments);
        connection.flush();
        String infoServer = connection.await(info);
        String currentRunId = ServerInfo.runId(infoServer);
        NodeView pageView = nodes == null
                ? NodeView.singleServer(currentRunId)
                : NodeView.ofClusterNode(currentRunId, connection.await(nodes));
        checkpoint = checkpoint.sawDuringWalk(pageView);
        KeyScanCursor<byte[]> keys;
        try {
            keys = connection.await(scan);
        } catch (RedisCommandExecutionException refused) {
            if (!String.valueOf(refused.getMessage()).startsWith("ERR unknown type name")) {
                throw refused;
            }
            // Valkey 8 (and Redis 8.0 pre-releases) refuse a TYPE they do not know, where Redis 7 returns nothing:
            // a server without the module holds no key of its type.
            log.info("{}: the server knows no type {}, so it holds no such key", session.name(), store.scanType());
            finished = true;
            return new DocumentPage(List.of(), false);
        }
        ScanLayout layout = ScanLayout.of(infoServer);
        if (!slice.holdsOn(layout)) {
            throw new CutForAnotherLayoutException(layout);
        }
        if (!currentRunId.equals(runId)) {
            log.warn(
                    "{}: the Redis server restarted or failed over (run_id {} -> {}); walking this slice again from"
                            + " its start",
                    session.name(),
                    runId,
                    currentRunId);
            runId = currentRunId;
            nextCursor = slice.startCursor();
            nextPageIsReread = false;
            checkpoint = checkpoint.walkedUnder(pageView, null);
            return new DocumentPage(List.of(), false);
        }
        String returned = keys.getCursor();
        boolean endsTheSlice = keys.isFinished() || !slice.contains(returned);
        List<byte[]> pageKeys = keys.getKeys();
        if (endsTheSlice && !keys.isFinished() && slice instanceof ScanSlice cut) {
            pageKeys = SliceOvershoot.withoutKeysPastTheEnd(connection, cut, arguments, returned, runId, pageKeys);
        }
        List<StoredDocument> documents = store.load(connection, inSlots(withoutOwnKeys(pageKeys), slotsRead()));
        nextCursor = returned;
        finished = endsTheSlice;
        boolean reread = nextPageIsReread;
        nextPageIsReread = false;
        return new DocumentPage(documents, reread);
    }

    /** A cluster master that is no longer one: its slice ends here, proving no slot walked. */
    private void endBecauseGone() {
        log.warn(
                "{}: master {} is no longer a master of the cluster (failed over or removed); this slice ends here"
                        + " and the slots it held are walked again on the masters that hold them now",
                session.name(),
                checkpoint.node());
        finished = true;
        checkpoint = checkpoint.walkedUnder(
                checkpoint.viewAtStart() == null ? NodeView.NOT_MASTER : checkpoint.viewAtStart(), NodeView.NOT_MASTER);
    }

    /**
     * A slice cut for another SCAN cursor layout than the server has now (it was upgraded or replaced, or the
     * checkpoint predates layouts): walked from its start or not, it would not cover its share here. It ends at once,
     * marked so, which makes the run walk every slice again, cut for the servers there are now.
     */
    private void endBecauseCutForAnotherLayout(ScanLayout layout) {
        log.warn(
                "{}: its {} was cut for another SCAN cursor layout than {} has now ({}); this slice ends here and"
                        + " its keys are walked again, cut for this layout",
                session.name(),
                checkpoint.slice(),
                checkpoint.node().isEmpty() ? "the server" : "master " + checkpoint.node(),
                layout.description());
        finished = true;
        checkpoint = checkpoint.walkedUnder(checkpoint.viewAtStart(), NodeView.NOT_MASTER);
    }

    /**
     * The page's keys less this tool's own, which a migration whose pattern is {@code *} would otherwise be handed as
     * documents.
     */
    static List<byte[]> withoutOwnKeys(List<byte[]> keys) {
        return OwnKeys.without(keys);
    }

    /**
     * The slots whose keys this partition reads: those of its walk, and of a slice of slot ranges only its own, so
     * that the last SCAN call, which crosses into the next slice's slots, does not read their keys too.
     */
    private SlotSet slotsRead() {
        if (slotsRead == null) {
            slotsRead = checkpoint.slice() instanceof SlotRangeSlice range
                    ? checkpoint.walkSlots().and(SlotSet.range(range.first(), range.last()))
                    : checkpoint.walkSlots();
        }
        return slotsRead;
    }

    /** The keys of the given slots: all of them on a first walk of a slice that is not cut by slots. */
    static List<byte[]> inSlots(List<byte[]> keys, SlotSet slots) {
        if (slots.isAll()) {
            return keys;
        }
        List<byte[]> kept = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            if (slots.contains(SlotHash.getSlot(key))) {
                kept.add(key);
            }
        }
        return kept;
    }

    /** Called at each chunk commit, once the page read last has been written. */
    @Override
    public void update(ExecutionContext context) {
        pageInFlight = false;
        checkpoint = checkpoint.at(
                nextCursor,
                runId == null ? "" : runId,
                finished,
                false,
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
            checkpoint
                    .at(checkpoint.cursor(), checkpoint.runId(), checkpoint.finished(), true, checkpoint.counts())
                    .writeTo(stepExecution.getExecutionContext());
        }
        return null;
    }

    /** The server's cursor layout does not fit the slice; not transient, so the retry loop stops at once. */
    private static final class CutForAnotherLayoutException extends RedisOmBatchException {
        private final transient ScanLayout layout;

        CutForAnotherLayoutException(ScanLayout layout) {
            super(Failure.INTERRUPTED, "the slice was cut for another SCAN cursor layout");
            this.layout = layout;
        }
    }

    /** The server a partition walks is not a master any more; not transient, so the retry loop stops at once. */
    private static final class ServerGoneException extends RedisOmBatchException {
        ServerGoneException() {
            super(Failure.INTERRUPTED, "the server is no longer a master");
        }
    }
}
