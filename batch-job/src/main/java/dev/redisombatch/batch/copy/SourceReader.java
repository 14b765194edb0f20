package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.partition.SliceWalk;
import dev.redisombatch.batch.data.step.CopyConversion;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import io.lettuce.core.KeyScanArgs;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads one SCAN slice of one server of the source (the single server, or a cluster master) a page at a time, each
 * key as {@code DUMP} serialises it and when it expires: only reads, so the source gets no write at all. The walk is
 * a data migration's ({@link SliceWalk}): a changed run_id walks the slice again from its start, and what the server
 * said of itself during the walk is kept, so that the copy can tell which slots it proves copied.
 */
final class SourceReader implements ItemStreamReader<CopiedPage>, StepExecutionListener {

    private final String name;
    private final RedisEndpoint source;
    private final CopiedKeys keys;
    private final int scanCount;
    private final PartitionProgress progress;
    private final Runnable beforeEachPage;
    private final CopyConversion.Slice conversion;

    private PipelinedConnection connection;
    private SliceWalk walk;
    private DocumentCounts countedEarlier;
    /** The page read last may have been read before: the one in flight when an earlier execution died. */
    private boolean pageIsReread;
    /** A page was read and not yet committed: what a stop between pages leaves false. */
    private boolean pageInFlight;

    SourceReader(
            String name,
            RedisEndpoint source,
            CopiedKeys keys,
            int scanCount,
            PartitionProgress progress,
            Runnable beforeEachPage,
            CopyConversion.Slice conversion) {
        this.keys = keys;
        this.conversion = conversion;
        this.name = name;
        this.source = source;
        this.scanCount = scanCount;
        this.progress = progress;
        this.beforeEachPage = beforeEachPage;
    }

    @Override
    public void open(ExecutionContext context) {
        SliceCheckpoint checkpoint = SliceCheckpoint.from(context);
        countedEarlier = checkpoint.counts();
        walk = new SliceWalk(name, checkpoint);
        walk.open(
                source.call("read the source's topology", commands -> source.topology()),
                () -> source.call("read the source server's view", commands -> source.nodeView(checkpoint.node())));
        progress.fractionDone(walk.fractionDone());
    }

    @Override
    public CopiedPage read() {
        if (walk.finished()) {
            return null;
        }
        beforeEachPage.run();
        String node = walk.checkpoint().node();
        boolean[] failedBefore = {false};
        pageIsReread = false;
        CopiedPage page = source.transientFaults().call("SCAN and DUMP the source", () -> {
            if (failedBefore[0] && !stillMaster(node)) {
                walk.endBecauseGone();
                return new CopiedPage(List.of(), CopyConversion.Page.NONE);
            }
            failedBefore[0] = true;
            return readPage();
        });
        conversion.convert(page.converted());
        page = page.restoringConvertedWithTheirWrites();
        if (walk.endViewDue()) {
            walk.endedUnder(source.call("read the source server's view", commands -> source.nodeView(node)));
        }
        pageInFlight = true;
        progress.read(page.keys().size(), pageIsReread);
        progress.fractionDone(walk.fractionDone());
        return page;
    }

    /** Whether the server walked is still a master: false for a cluster master that failed over or left. */
    private boolean stillMaster(String node) {
        return !source.isCluster() || source.topology().master(node).isPresent();
    }

    private CopiedPage readPage() {
        if (connection == null) {
            connection = source.openPipelined(walk.checkpoint().node());
        }
        SliceWalk.Page page = walk.nextPage(connection, KeyScanArgs.Builder.limit(walk.countHint(scanCount)));
        pageIsReread = page.reread();
        KeyDumps dumps =
                KeyDumps.read(connection, keys.split(connection, page.keys()).copied());
        walk.movePast(page);
        progress.gone(dumps.gone().size());
        // A moved key's slot left this master since SCAN returned it: the slot then cannot be proven copied by this
        // walk (the master's view shows it moving or gone), so the copy walks it again where it is now.
        List<byte[]> present = new ArrayList<>(dumps.present().size());
        List<String> types = new ArrayList<>(dumps.present().size());
        List<byte[]> payloads = new ArrayList<>(dumps.present().size());
        for (DumpedKey dumped : dumps.present()) {
            present.add(dumped.key());
            types.add(dumped.typeFromPayload());
            // A hash that expires is read and converted by commands: its write then tells whether it expired before
            // the target had it, and the migrations count it gone.
            payloads.add(dumped.expiresAtMillis() == 0 ? dumped.payload() : null);
        }
        return new CopiedPage(dumps.present(), conversion.read(connection, present, types, payloads));
    }

    /** Called at each chunk commit, once the pages read since the last have been written to the target. */
    @Override
    public void update(ExecutionContext context) {
        pageInFlight = false;
        walk.checkpointAt(countedEarlier.plus(progress.counts())).writeTo(context);
        conversion.checkpointTo(context);
    }

    /**
     * A stop (SIGTERM) ends the step between pages: then the next execution does not count its first page as read
     * again. After a crash or a failed page it does.
     */
    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (!pageInFlight && walk != null) {
            walk.stoppedBetweenPages(stepExecution.getExecutionContext());
        }
        return null;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
