package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.partition.SliceWalk;
import dev.redisombatch.batch.data.store.DocumentStore;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.redis.OwnKeys;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.RedisCommandExecutionException;
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
 * Reads one SCAN slice of one server (the single server, or a cluster master) a page at a time: one pipeline for
 * {@code INFO server} + SCAN, one for the documents of the page's keys. Each page is one item, so the checkpoint
 * ({@link SliceCheckpoint}, saved at each chunk commit, after the page was written) is simply the cursor of the next
 * page. A partition resumed after a crash reads the page that was in flight again (transforms are idempotent, and a
 * document already migrated is unchanged).
 *
 * <p>The walk itself (a restart or failover starts the slice over, a master gone ends it, what the server said of
 * itself is kept for {@code SlotProof}, keys past the slice's end and of slots already proven are passed over) is
 * {@link SliceWalk}'s, which a copy's walk shares.
 */
final class PageReader implements ItemStreamReader<DocumentPage>, StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(PageReader.class);

    private final PartitionSession session;
    private final DocumentStore store;
    private final int scanCount;
    private final Runnable beforeEachPage;

    private SliceWalk walk;
    private DocumentCounts countedEarlier;
    private boolean pageInFlight;
    /** Whether SCAN filters by the store's type; see {@link #readPage}. */
    private boolean filterByType;

    /** @param beforeEachPage throws when the run may not go on (its lock is lost, its error budget spent) */
    PageReader(PartitionSession session, DocumentStore store, int scanCount, Runnable beforeEachPage) {
        this.session = session;
        this.store = store;
        this.scanCount = scanCount;
        this.beforeEachPage = beforeEachPage;
    }

    @Override
    public void open(ExecutionContext context) {
        SliceCheckpoint checkpoint = SliceCheckpoint.from(context);
        countedEarlier = checkpoint.counts();
        walk = new SliceWalk(session.name(), checkpoint);
        filterByType = !store.scansWithoutTypeFilter();
        walk.open(
                session.faults().call("read the topology", session::topology),
                () -> session.faults().call("read the server's view", session::nodeView));
        session.progress().fractionDone(walk.fractionDone());
    }

    @Override
    public DocumentPage read() {
        if (walk.finished()) {
            return null;
        }
        beforeEachPage.run();
        boolean[] failedBefore = {false};
        DocumentPage page = session.faults().call("SCAN " + walk.checkpoint().pattern(), () -> {
            if (failedBefore[0] && !session.serverStillMaster()) {
                walk.endBecauseGone();
                return new DocumentPage(List.of(), false);
            }
            failedBefore[0] = true;
            return readPage();
        });
        pageInFlight = true;
        if (walk.endViewDue()) {
            walk.endedUnder(session.faults().call("read the server's view", session::nodeView));
        }
        session.progress().read(page.documents().size(), page.reread());
        session.progress().fractionDone(walk.fractionDone());
        return page;
    }

    /**
     * Reads the next page. SCAN filters by the store's type only where the store needs it, or once a page shows that
     * the pattern matches keys of other types too (more than one in {@value #UNREAD_KEYS_BEFORE_TYPE_FILTER} of its
     * keys not read as documents): each of those costs the client a refused read, more than the server's lookup of
     * every key that the filter costs, so from then on this execution of the partition filters.
     */
    private DocumentPage readPage() {
        KeyScanArgs arguments = KeyScanArgs.Builder.limit(walk.countHint(scanCount));
        if (filterByType) {
            arguments.type(store.scanType());
        }
        arguments.match(walk.checkpoint().pattern(), StandardCharsets.UTF_8);
        SliceWalk.Page page;
        try {
            page = walk.nextPage(session.connection(), arguments);
        } catch (RedisCommandExecutionException refused) {
            if (!String.valueOf(refused.getMessage()).startsWith("ERR unknown type name")) {
                throw refused;
            }
            // Valkey 8 (and Redis 8.0 pre-releases) refuse a TYPE they do not know, where Redis 7 returns nothing:
            // a server without the module holds no key of its type.
            log.info("{}: the server knows no type {}, so it holds no such key", session.name(), store.scanType());
            walk.endHere();
            return new DocumentPage(List.of(), false);
        }
        List<byte[]> keys = withoutOwnKeys(page.keys());
        List<StoredDocument> documents = store.load(session.connection(), keys);
        if (!filterByType && keys.size() - documents.size() > keys.size() / UNREAD_KEYS_BEFORE_TYPE_FILTER) {
            filterByType = true;
            log.debug(
                    "{}: {} of {} keys of a page were not read as documents; SCAN filters by type from now on",
                    session.name(),
                    keys.size() - documents.size(),
                    keys.size());
        }
        walk.movePast(page);
        return new DocumentPage(documents, page.reread());
    }

    private static final int UNREAD_KEYS_BEFORE_TYPE_FILTER = 100;

    /**
     * The page's keys less this tool's own, which a migration whose pattern is {@code *} would otherwise be handed as
     * documents.
     */
    static List<byte[]> withoutOwnKeys(List<byte[]> keys) {
        return OwnKeys.without(keys);
    }

    /** Called at each chunk commit, once the page read last has been written. */
    @Override
    public void update(ExecutionContext context) {
        pageInFlight = false;
        walk.checkpointAt(countedEarlier.plus(session.progress().counts())).writeTo(context);
    }

    /**
     * A stop (SIGTERM) ends the step between pages: then the next execution does not read a page a second time, and
     * the checkpoint says so. After a crash or a failed page it does.
     */
    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (!pageInFlight && walk != null) {
            walk.stoppedBetweenPages(stepExecution.getExecutionContext());
        }
        return null;
    }
}
