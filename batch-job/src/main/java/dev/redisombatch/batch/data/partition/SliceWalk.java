package dev.redisombatch.batch.data.partition;

import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.redis.NodeView;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.ScanLayout;
import dev.redisombatch.batch.redis.ServerInfo;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The walk of one slice of one server (the single server, or a cluster master) by SCAN pages, for a reader that
 * does something with each page's keys (a data migration loads the documents, a copy dumps the keys), keeping in its {@link SliceCheckpoint} what
 * {@link SlotProof} needs to tell which slots the walk proves walked: what the server said of itself when the walk
 * began, with every page and when it ended ({@link NodeView}).
 *
 * <p>A changed run_id means another server process, with another hash seed, where the cursor means nothing: the slice
 * starts over from its first cursor. A master that is no longer one, or a server whose SCAN cursor layout is not the
 * one the slice was cut for, ends the slice at once, proving nothing, so that its slots are walked again where they
 * are. The last SCAN call of a slice runs on past the slice's end; the keys it read there belong to the slices after
 * it and are passed over (by their slots on a slice of slot ranges, found by {@link SliceOvershoot} on a slice of
 * cursor bits), so that each key is read by one partition. On a later walk of a run, keys of slots already proven
 * are passed over.
 */
public final class SliceWalk {

    private static final Logger log = LoggerFactory.getLogger(SliceWalk.class);

    private final String name;
    private SliceCheckpoint checkpoint;
    private String runId;
    private String nextCursor;
    private boolean finished;
    /** The last page ended the slice and the server's view at the end is still to be taken. */
    private boolean endViewDue;
    /** The page at the cursor may have been read before: the walk resumed after a crash or a failed page. */
    private boolean nextPageIsReread;

    private SlotSet slotsRead;

    /** @param name the partition's, for logs */
    public SliceWalk(String name, SliceCheckpoint checkpoint) {
        this.name = name;
        this.checkpoint = checkpoint;
    }

    /**
     * Where the walk goes on: at the saved cursor when the server is the process that returned it, else from the
     * slice's start (taking the server's view anew); ended at once when its master is gone.
     *
     * @param topology the servers as they are now
     * @param view what the slice's server says of itself now; asked only when a walk (re)starts
     */
    public void open(Topology topology, Supplier<NodeView> view) {
        finished = checkpoint.finished();
        nextCursor = checkpoint.slice().startCursor();
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
                log.info("{} resumes at cursor {}", name, nextCursor);
            } else {
                log.warn(
                        "{}: the Redis server changed (run_id {} -> {}), so its saved cursor means nothing here;"
                                + " walking this slice again from its start",
                        name,
                        checkpoint.runId(),
                        runId);
            }
        }
        if (!finished && (checkpoint.viewAtStart() == null || !nextCursor.equals(checkpoint.cursor()))) {
            checkpoint = checkpoint.walkedUnder(view.get(), null);
        }
    }

    public boolean finished() {
        return finished;
    }

    /**
     * Writes the checkpoint of a walk that a stop (SIGTERM) ended between pages: the next execution then does not
     * count its first page as read again, as it does after a crash or a failed page.
     */
    public void stoppedBetweenPages(ExecutionContext context) {
        SliceCheckpoint now = checkpoint();
        now.at(now.cursor(), now.runId(), now.finished(), true, now.counts()).writeTo(context);
    }

    public SliceCheckpoint checkpoint() {
        return checkpoint;
    }

    /** Share of the slice walked, from 0 to 1. */
    public double fractionDone() {
        return finished ? 1 : checkpoint.slice().fractionDone(nextCursor);
    }

    /** The SCAN COUNT for the next page: {@code maxCount}, or less near the end of the slice. */
    public int countHint(int maxCount) {
        return checkpoint.slice().countHint(nextCursor, checkpoint.keysPerSlice(), maxCount);
    }

    /**
     * The keys of one page of the slice, and where the walk goes on past it.
     *
     * @param reread the page may have been read before (the page in flight when an earlier execution died)
     * @param nextCursor the cursor after the page; null when the walk started over or ended instead of reading one
     * @param endsTheSlice the page is the slice's last
     */
    public record Page(List<byte[]> keys, boolean reread, String nextCursor, boolean endsTheSlice) {

        static final Page NONE = new Page(List.of(), false, null, false);
    }

    /**
     * One SCAN call with {@code INFO server} (and the master's {@code CLUSTER NODES} on a cluster) in one pipeline:
     * the keys of the page this slice reads, none when the walk started over or ended here. The walk stays at this
     * page until the caller {@linkplain #movePast moves past it}, so a transient fault while the caller reads the
     * page's keys (a dropped connection, a cluster refusing keyed commands while it is down) makes the next call read
     * the same page again rather than pass over its keys.
     *
     * @param arguments COUNT (see {@link #countHint}), and MATCH and TYPE as the caller reads
     */
    public Page nextPage(PipelinedConnection connection, KeyScanArgs arguments) {
        KeyspaceSlice slice = checkpoint.slice();
        RedisFuture<String> info = connection.reads().info("server");
        // On a cluster, what the master says of its slots with every page: a slot that leaves it and comes back during
        // the walk is seen gone at some page, so the walk does not vouch for it.
        RedisFuture<String> nodes =
                checkpoint.node().isEmpty() ? null : connection.reads().clusterNodes();
        RedisFuture<KeyScanCursor<byte[]>> scan = connection.reads().scan(ScanCursor.of(nextCursor), arguments);
        connection.flush();
        String infoServer = connection.await(info);
        String currentRunId = ServerInfo.runId(infoServer);
        NodeView pageView = nodes == null
                ? NodeView.singleServer(currentRunId)
                : NodeView.ofClusterNode(currentRunId, connection.await(nodes));
        checkpoint = checkpoint.sawDuringWalk(pageView);
        KeyScanCursor<byte[]> keys = connection.await(scan);
        ScanLayout layout = ScanLayout.of(infoServer);
        if (!slice.holdsOn(layout)) {
            endBecauseCutForAnotherLayout(layout);
            return Page.NONE;
        }
        if (!currentRunId.equals(runId)) {
            log.warn(
                    "{}: the Redis server restarted or failed over (run_id {} -> {}); walking this slice again from"
                            + " its start",
                    name,
                    runId,
                    currentRunId);
            runId = currentRunId;
            nextCursor = slice.startCursor();
            nextPageIsReread = false;
            checkpoint = checkpoint.walkedUnder(pageView, null);
            return Page.NONE;
        }
        String returned = keys.getCursor();
        boolean endsTheSlice = keys.isFinished() || !slice.contains(returned);
        List<byte[]> pageKeys = keys.getKeys();
        if (endsTheSlice && !keys.isFinished() && slice instanceof ScanSlice cut) {
            pageKeys = SliceOvershoot.withoutKeysPastTheEnd(connection, cut, arguments, returned, runId, pageKeys);
        }
        return new Page(inSlots(pageKeys, slotsRead()), nextPageIsReread, returned, endsTheSlice);
    }

    /**
     * Moves the walk past a page once the caller is done reading its keys (the documents loaded, the keys dumped):
     * only then does the checkpoint count the page as walked. A page that started the walk over or ended it instead
     * moves nothing.
     */
    public void movePast(Page page) {
        if (page.nextCursor() == null) {
            return;
        }
        nextCursor = page.nextCursor();
        finished = page.endsTheSlice();
        endViewDue = page.endsTheSlice();
        nextPageIsReread = false;
    }

    /** Whether the last page ended the slice, so that {@link #endedUnder} is due. */
    public boolean endViewDue() {
        return endViewDue;
    }

    /** What the server said of itself once the walk of the slice ended. */
    public void endedUnder(NodeView atEnd) {
        endViewDue = false;
        checkpoint = checkpoint.walkedUnder(checkpoint.viewAtStart(), atEnd);
    }

    /**
     * Ends the slice where it is, as walked to its end: the server holds nothing the caller reads (a key type it does
     * not know). The server's view at the end is then due.
     */
    public void endHere() {
        finished = true;
        endViewDue = true;
    }

    /** A cluster master that is no longer one: its slice ends here, proving no slot walked. */
    public void endBecauseGone() {
        log.warn(
                "{}: master {} is no longer a master of the cluster (failed over or removed); this slice ends here"
                        + " and the slots it held are walked again on the masters that hold them now",
                name,
                checkpoint.node());
        finished = true;
        endViewDue = false;
        checkpoint = checkpoint.walkedUnder(
                checkpoint.viewAtStart() == null ? NodeView.NOT_MASTER : checkpoint.viewAtStart(), NodeView.NOT_MASTER);
    }

    /**
     * A slice cut for another SCAN cursor layout than the server has now (it was upgraded or replaced): walked from
     * its start or not, it would not cover its share here. It ends at once, proving nothing, so its keys are walked
     * again, cut for this layout.
     */
    private void endBecauseCutForAnotherLayout(ScanLayout layout) {
        log.warn(
                "{}: its {} was cut for another SCAN cursor layout than {} has now ({}); this slice ends here and"
                        + " its keys are walked again, cut for this layout",
                name,
                checkpoint.slice(),
                checkpoint.node().isEmpty() ? "the server" : "master " + checkpoint.node(),
                layout.description());
        finished = true;
        endViewDue = false;
        checkpoint = checkpoint.walkedUnder(checkpoint.viewAtStart(), NodeView.NOT_MASTER);
    }

    /** The checkpoint to save at a chunk commit, once the pages read so far are done with. */
    public SliceCheckpoint checkpointAt(DocumentCounts counts) {
        checkpoint = checkpoint.at(nextCursor, runId == null ? "" : runId, finished, false, counts);
        return checkpoint;
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
    public static List<byte[]> inSlots(List<byte[]> keys, SlotSet slots) {
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
}
