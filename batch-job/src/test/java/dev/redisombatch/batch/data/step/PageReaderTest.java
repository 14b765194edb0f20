package dev.redisombatch.batch.data.step;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.data.EngineFixture;
import dev.redisombatch.batch.data.partition.KeyspaceSlice;
import dev.redisombatch.batch.data.partition.ScanSlice;
import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.partition.SliceOvershoot;
import dev.redisombatch.batch.data.partition.SlotRangeSlice;
import dev.redisombatch.batch.data.store.HashStore;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.data.store.StoredHash;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.NodeView;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.ServerInfo;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.migration.RedisType;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.test.MetaDataInstanceFactory;

/**
 * {@link PageReader}: a slice read page by page, its checkpoint at each commit, resuming from it, a changed server,
 * and the reread flag.
 */
class PageReaderTest {

    private static final int USERS = 3000;
    private static final int SCAN_COUNT = 100;
    private static final String PATTERN = "user:*";

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    static final EngineFixture fixture = EngineFixture.sharedByTheClass(redis);

    private static Set<String> users;

    private final List<PartitionSession> sessions = new ArrayList<>();

    @BeforeAll
    static void load() {
        redis.commands().flushall();
        fixture.loadHashes("user:", USERS, i -> Map.of("name", "name-" + i, "n", Integer.toString(i)));
        // Same pattern, another type; another pattern, same type: neither may be read.
        fixture.loadStrings("user:string:", 300);
        fixture.loadHashes("order:", 300, i -> Map.of("name", "order-" + i));
        users = IntStream.range(0, USERS).mapToObj(i -> "user:" + i).collect(Collectors.toSet());
        fixture.settleRehashing();
    }

    @AfterEach
    void closeSessions() {
        sessions.forEach(PartitionSession::close);
    }

    private PartitionSession session() {
        PartitionSession session = new PartitionSession("test", "", fixture.endpoint(), new PartitionProgress());
        sessions.add(session);
        return session;
    }

    private static ExecutionContext freshContext(KeyspaceSlice slice, long keysPerSlice) {
        ExecutionContext context = new ExecutionContext();
        SliceCheckpoint.start(PATTERN, RedisType.HASH, "", slice, keysPerSlice, SlotSet.ALL)
                .writeTo(context);
        return context;
    }

    private static ExecutionContext freshContext() {
        return freshContext(new ScanSlice(0, 0), 0);
    }

    private PageReader openReader(PartitionSession session, ExecutionContext context) {
        PageReader reader = new PageReader(session, new HashStore(Set.of()), SCAN_COUNT, () -> {});
        reader.open(context);
        return reader;
    }

    private static List<String> keys(DocumentPage page) {
        return page.documents().stream()
                .map(document -> EngineFixture.text(document.key()))
                .toList();
    }

    /** Reads to the end, committing (update) after each page as a chunk-oriented step does. */
    private static List<DocumentPage> readToEnd(PageReader reader, ExecutionContext context) {
        List<DocumentPage> pages = new ArrayList<>();
        for (DocumentPage page = reader.read(); page != null; page = reader.read()) {
            pages.add(page);
            reader.update(context);
        }
        return pages;
    }

    private static Set<String> union(List<DocumentPage> pages) {
        Set<String> keys = new HashSet<>();
        pages.forEach(page -> keys.addAll(keys(page)));
        return keys;
    }

    /**
     * SCAN ... TYPE costs the server a lookup per key; a hash slice scans without it until a page shows keys of
     * other types (here the first, nearly always: one in eleven keys of the pattern is a string), then filters.
     */
    @Test
    void scansWithoutTheTypeFilterUntilAPageShowsKeysOfOtherTypes() {
        List<List<String>> scans =
                scansOf(() -> readToEnd(openReader(session(), freshContext()), new ExecutionContext()));

        int unfiltered = 0;
        while (unfiltered < scans.size() && !scans.get(unfiltered).contains("TYPE")) {
            unfiltered++;
        }
        // A page of about 90 keys of the pattern holds no string once in some 6,000 servers' hash seeds; two, never.
        assertThat(unfiltered).as("pages scanned before a string was seen").isBetween(1, 2);
        assertThat(scans.subList(unfiltered, scans.size()))
                .as("every page from then on")
                .hasSizeGreaterThan(10)
                .allSatisfy(scan -> assertThat(scan).containsSubsequence("TYPE", "hash"));
    }

    @Test
    void aPatternOfHashesOnlyIsScannedWithoutTheTypeFilterToItsEnd() {
        ExecutionContext context = new ExecutionContext();
        SliceCheckpoint.start("order:*", RedisType.HASH, "", new ScanSlice(0, 0), 0, SlotSet.ALL)
                .writeTo(context);
        PageReader reader = openReader(session(), context);
        List<DocumentPage> pages = new ArrayList<>();

        List<List<String>> scans = scansOf(() -> pages.addAll(readToEnd(reader, context)));

        assertThat(union(pages)).hasSize(300).allSatisfy(key -> assertThat(key).startsWith("order:"));
        assertThat(scans)
                .hasSizeGreaterThan(2)
                .allSatisfy(scan -> assertThat(scan).doesNotContain("TYPE"));
    }

    /** The arguments of every SCAN the server ran while {@code reading} ran, in order (from its slow log). */
    private static List<List<String>> scansOf(Runnable reading) {
        redis.commands().configSet("slowlog-max-len", "100000");
        redis.commands().configSet("slowlog-log-slower-than", "0");
        redis.commands().slowlogReset();
        try {
            reading.run();
        } finally {
            redis.commands().configSet("slowlog-log-slower-than", "10000");
        }
        List<List<String>> scans = new ArrayList<>();
        for (Object entry : redis.commands().slowlogGet(100000)) {
            @SuppressWarnings("unchecked")
            List<Object> arguments = (List<Object>) ((List<Object>) entry).get(3);
            if ("SCAN".equalsIgnoreCase(String.valueOf(arguments.get(0)))) {
                scans.add(0, arguments.stream().map(String::valueOf).toList()); // the log is newest first
            }
        }
        return scans;
    }

    @Test
    void aSliceCutForAnotherCursorLayoutEndsAtOnceMarkedSoAndReadsNothing() {
        // Slot ranges hold on a cluster node with one table per slot; this is a standalone Redis (one table).
        ExecutionContext context = freshContext(new SlotRangeSlice(0, 8191, 0, 8191), USERS / 2);
        PageReader reader = openReader(session(), context);

        List<DocumentPage> pages = readToEnd(reader, context);

        assertThat(union(pages)).isEmpty();
        SliceCheckpoint checkpoint = SliceCheckpoint.from(context);
        assertThat(checkpoint.finished()).isTrue();
        assertThat(checkpoint.viewAtEnd())
                .as("no master's view, so it proves no slot walked and the run walks its keys again")
                .isEqualTo(NodeView.NOT_MASTER);
        assertThat(checkpoint.viewAtStart().master()).isTrue();
    }

    @Test
    void readsTheWholeSlicePageByPageAndOnlyHashesOfThePattern() {
        PartitionSession session = session();
        ExecutionContext context = freshContext();
        PageReader reader = openReader(session, context);

        List<DocumentPage> pages = readToEnd(reader, context);

        assertThat(pages.size()).as("pages of about %d keys", SCAN_COUNT).isBetween(USERS / SCAN_COUNT / 2, USERS);
        assertThat(pages).allSatisfy(page -> assertThat(page.reread()).isFalse());
        assertThat(union(pages)).isEqualTo(users);
        long documents =
                pages.stream().mapToLong(page -> page.documents().size()).sum();
        assertThat(documents).isGreaterThanOrEqualTo(USERS);
        assertThat(session.progress().counts().read()).isEqualTo(documents);
        assertThat(session.progress().counts().reread()).isZero();
        // Every document comes with its whole hash (HGETALL mode).
        for (DocumentPage page : pages) {
            for (StoredDocument document : page.documents()) {
                String n = EngineFixture.text(document.key()).substring("user:".length());
                assertThat(((StoredHash) document).wholeDocument()).isTrue();
                assertThat(document.document().fields()).isEqualTo(Map.of("name", "name-" + n, "n", n));
            }
        }
        SliceCheckpoint end = SliceCheckpoint.from(context);
        assertThat(end.finished()).isTrue();
        assertThat(end.fractionWalked()).isEqualTo(1.0);
        assertThat(end.counts().read()).isEqualTo(documents);
        assertThat(session.progress().fractionDone()).isEqualTo(1.0);
        assertThat(reader.read()).isNull();
    }

    @Test
    void eachCheckpointHoldsTheCursorOfTheNextPage() {
        ExecutionContext context = freshContext();
        PageReader reader = openReader(session(), context);
        List<String> cursors = new ArrayList<>();
        List<DocumentPage> pages = new ArrayList<>();
        List<List<String>> readFromCheckpoint = new ArrayList<>();
        for (DocumentPage page = reader.read(); page != null; page = reader.read()) {
            pages.add(page);
            reader.update(context);
            SliceCheckpoint checkpoint = SliceCheckpoint.from(context);
            cursors.add(checkpoint.cursor());
            assertThat(checkpoint.runId()).hasSize(40);
            assertThat(checkpoint.endedAtPageBoundary()).isFalse();
            // A reader opened on a copy of this checkpoint reads exactly the page the first reader reads next.
            PageReader resumed = openReader(session(), new ExecutionContext(context));
            DocumentPage next = resumed.read();
            readFromCheckpoint.add(next == null ? null : keys(next));
            if (checkpoint.finished()) {
                assertThat(next).isNull();
            }
        }
        assertThat(cursors).doesNotHaveDuplicates();
        assertThat(cursors.get(cursors.size() - 1)).isEqualTo("0");
        assertThat(cursors.subList(0, cursors.size() - 1)).noneMatch("0"::equals);
        for (int i = 0; i + 1 < pages.size(); i++) {
            assertThat(readFromCheckpoint.get(i)).as("page %d", i + 1).isEqualTo(keys(pages.get(i + 1)));
        }
        assertThat(readFromCheckpoint.get(pages.size() - 1)).isNull();
    }

    @Test
    void aNewReaderContinuesFromTheCheckpointAndTogetherTheyReadEveryKey() {
        ExecutionContext context = freshContext();
        PartitionSession first = session();
        PageReader reader = openReader(first, context);
        List<DocumentPage> before = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            before.add(reader.read());
            reader.update(context);
        }
        DocumentCounts countedBefore = SliceCheckpoint.from(context).counts();
        assertThat(countedBefore.read())
                .isEqualTo(first.progress().counts().read())
                .isPositive();

        PartitionSession second = session();
        PageReader resumed = openReader(second, context);
        List<DocumentPage> after = readToEnd(resumed, context);

        Set<String> all = union(before);
        all.addAll(union(after));
        assertThat(all).isEqualTo(users);
        assertThat(union(before)).doesNotContainAnyElementsOf(union(after));
        // The checkpoint said the previous execution did not stop at a page boundary: its first page is a reread.
        assertThat(after.get(0).reread()).isTrue();
        assertThat(after.subList(1, after.size()))
                .allSatisfy(page -> assertThat(page.reread()).isFalse());
        assertThat(second.progress().counts().reread())
                .isEqualTo(after.get(0).documents().size());
        // Counts run on across executions.
        SliceCheckpoint end = SliceCheckpoint.from(context);
        assertThat(end.counts().read())
                .isEqualTo(countedBefore.read() + second.progress().counts().read());
        assertThat(end.counts().reread()).isEqualTo(after.get(0).documents().size());
        assertThat(end.finished()).isTrue();
    }

    @Test
    void aCheckpointFromAnotherServerProcessStartsTheSliceOver() {
        ExecutionContext walked = freshContext();
        PageReader reader = openReader(session(), walked);
        List<String> firstPage = keys(reader.read());
        reader.update(walked);
        for (int i = 0; i < 4; i++) {
            reader.read();
            reader.update(walked);
        }
        SliceCheckpoint real = SliceCheckpoint.from(walked);
        ExecutionContext fake = new ExecutionContext();
        real.at(real.cursor(), "0".repeat(40), false, false, real.counts()).writeTo(fake);

        PartitionSession session = session();
        PageReader restarted = openReader(session, fake);
        List<DocumentPage> pages = readToEnd(restarted, fake);

        assertThat(keys(pages.get(0))).isEqualTo(firstPage);
        assertThat(union(pages)).isEqualTo(users);
        // Not a reread: the slice starts over, the page at the saved cursor means nothing.
        assertThat(pages).allSatisfy(page -> assertThat(page.reread()).isFalse());
        assertThat(session.progress().counts().reread()).isZero();
        assertThat(SliceCheckpoint.from(fake).runId()).isEqualTo(real.runId());
    }

    @Test
    void afterStepOnACleanStopMarksThePageBoundary() {
        StepExecution stepExecution = MetaDataInstanceFactory.createStepExecution();
        ExecutionContext context = stepExecution.getExecutionContext();
        SliceCheckpoint.start(PATTERN, RedisType.HASH, "", new ScanSlice(0, 0), 0, SlotSet.ALL)
                .writeTo(context);
        PageReader reader = openReader(session(), context);
        for (int i = 0; i < 3; i++) {
            reader.read();
            reader.update(context);
        }
        SliceCheckpoint committed = SliceCheckpoint.from(context);
        assertThat(committed.endedAtPageBoundary()).isFalse();

        reader.afterStep(stepExecution);

        SliceCheckpoint stopped = SliceCheckpoint.from(context);
        assertThat(stopped.endedAtPageBoundary()).isTrue();
        assertThat(stopped.cursor()).isEqualTo(committed.cursor());
        assertThat(stopped.runId()).isEqualTo(committed.runId());
        assertThat(stopped.counts()).isEqualTo(committed.counts());
        assertThat(stopped.finished()).isFalse();

        PartitionSession session = session();
        DocumentPage next = openReader(session, context).read();
        assertThat(next.reread()).isFalse();
        assertThat(session.progress().counts().reread()).isZero();
        assertThat(session.progress().counts().read())
                .isEqualTo(next.documents().size())
                .isPositive();
    }

    @Test
    void afterStepWithAPageInFlightLeavesItToBeReadAgain() {
        StepExecution stepExecution = MetaDataInstanceFactory.createStepExecution();
        ExecutionContext context = stepExecution.getExecutionContext();
        SliceCheckpoint.start(PATTERN, RedisType.HASH, "", new ScanSlice(0, 0), 0, SlotSet.ALL)
                .writeTo(context);
        PageReader reader = openReader(session(), context);
        reader.read();
        reader.update(context);
        DocumentPage inFlight = reader.read();

        reader.afterStep(stepExecution);

        assertThat(SliceCheckpoint.from(context).endedAtPageBoundary()).isFalse();
        PartitionSession session = session();
        DocumentPage again = openReader(session, context).read();
        assertThat(keys(again)).isEqualTo(keys(inFlight));
        assertThat(again.reread()).isTrue();
        assertThat(session.progress().counts().reread())
                .isEqualTo(again.documents().size());
    }

    @Test
    void aFinishedCheckpointReadsNothing() {
        ExecutionContext context = freshContext();
        readToEnd(openReader(session(), context), context);
        PartitionSession session = session();
        PageReader reader = openReader(session, context);
        assertThat(reader.read()).isNull();
        assertThat(session.progress().counts().read()).isZero();
        assertThat(session.progress().fractionDone()).isEqualTo(1.0);
    }

    @Test
    void aServerRestartInTheMiddleOfTheWalkStartsTheSliceOver() throws Exception {
        ExecutionContext context = freshContext();
        PageReader reader = openReader(session(), context);
        for (int i = 0; i < 3; i++) {
            reader.read();
            reader.update(context);
        }
        String before = SliceCheckpoint.from(context).runId();

        redis.restart();
        List<DocumentPage> after = readToEnd(reader, context);

        // The page that noticed the new run_id is empty; the walk then starts from the slice's first cursor.
        assertThat(after.get(0).documents()).isEmpty();
        assertThat(union(after)).isEqualTo(users);
        SliceCheckpoint end = SliceCheckpoint.from(context);
        assertThat(end.runId()).hasSize(40).isNotEqualTo(before);
        assertThat(end.finished()).isTrue();
    }

    @Test
    void twoSlicesTogetherReadEveryKey() {
        long keysPerSlice = redis.commands().dbsize() / 2;
        Set<String> all = new HashSet<>();
        List<Set<String>> perSlice = new ArrayList<>();
        for (int index = 0; index < 2; index++) {
            ExecutionContext context = freshContext(new ScanSlice(index, 1), keysPerSlice);
            Set<String> keys = union(readToEnd(openReader(session(), context), context));
            perSlice.add(keys);
            all.addAll(keys);
        }
        assertThat(all).isEqualTo(users);
        assertThat(perSlice.get(0)).doesNotContainAnyElementsOf(perSlice.get(1));
        assertThat(perSlice).allSatisfy(keys -> assertThat(keys.size()).isBetween(USERS / 4, USERS * 3 / 4));
    }

    /**
     * The last SCAN call of a slice runs into the next slice's buckets; the slice passes over the keys it read there,
     * found by walking again from the next slice's start, so each key is read by one slice only.
     */
    @Test
    void sixteenSlicesReadEachKeyOnceAtTheCostOfAboutOneScanCallEach() {
        redis.commands().configResetstat();

        SixteenSlices walk = walkSixteenSlices(page -> {});

        long scanCalls = scanCalls();
        assertThat(walk.union()).isEqualTo(users);
        assertThat(walk.documents()).as("each user read once").isEqualTo(USERS);
        System.out.printf(
                "16 slices: %d pages, %d SCAN calls, %d to find keys past a slice's end%n",
                walk.pages(), scanCalls, scanCalls - walk.pages());
        assertThat(scanCalls - walk.pages())
                .as("SCAN calls past the slices' ends")
                .isBetween(1L, 32L);
    }

    /**
     * Keys of other names added while the slices are walked (for the first 24 pages only: a walk that meets ten keys
     * added for each it reads never ends) make the table grow and rehash under the walk.
     */
    @Test
    void aTableGrowingWhileTheSlicesAreWalkedStillHasEachKeyReadOnce() {
        try {
            SixteenSlices walk = walkSixteenSlices(page -> {
                if (page <= 24) {
                    fixture.loadStrings("grow:" + page + ":", 1000);
                }
            });

            assertThat(redis.commands().dbsize()).as("the table grew 8-fold").isGreaterThan(8L * USERS);
            assertThat(walk.union()).isEqualTo(users);
            assertThat(walk.documents()).as("each user read once").isEqualTo(USERS);
        } finally {
            deleteKeys("grow:*");
        }
    }

    /**
     * Keys of other names deleted while the slices are walked make the table shrink: SCAN may then return keys again
     * within a slice, but no slice passes over a key of its own, and none reads another's.
     */
    @Test
    void aTableShrinkingWhileTheSlicesAreWalkedStillHasEveryKeyReadByItsSliceOnly() {
        fixture.loadStrings("shrink:", 60_000);
        fixture.settleRehashing();
        try {
            SixteenSlices walk = walkSixteenSlices(page -> {
                if (page == 10) {
                    deleteKeys("shrink:*");
                    sleep(300); // the server's cron shrinks the table (below 10% full) and rehashes it
                }
            });

            assertThat(walk.union()).isEqualTo(users);
            long readByOneSlice = walk.perSlice().stream().mapToLong(Set::size).sum();
            assertThat(readByOneSlice).as("no key read by two slices").isEqualTo(USERS);
        } finally {
            deleteKeys("shrink:*");
        }
    }

    /** The walk from a slice's end finds exactly the keys of the last call's page that are not the slice's own. */
    @Test
    void theWalkFromASlicesEndFindsTheLastCallsKeysOfTheNextSlices() {
        List<Set<String>> bySlice = walkSixteenSlices(page -> {}).perSlice();
        KeyScanArgs arguments = hashesOfThePattern(100);
        int overshooting = 0;
        try (PipelinedConnection connection = fixture.endpoint().openPipelined()) {
            // Every slice but the last (whose end is the table's): whether a last call runs into the next slice's
            // buckets holding keys depends on where the keys fall (the server's hash seed), so the claim is checked
            // on each and must have been exercised on some.
            for (int index = 0; index < 15; index++) {
                Set<String> own = bySlice.get(index);
                ScanSlice slice = new ScanSlice(index, 4);
                String cursor = slice.startCursor();
                KeyScanCursor<byte[]> last;
                do {
                    last = scan(connection, cursor, arguments);
                    cursor = last.getCursor();
                } while (slice.contains(cursor));
                Set<String> lastPage = texts(last.getKeys());

                Set<String> pastTheEnd =
                        texts(SliceOvershoot.keysPastTheEnd(connection, slice, arguments, cursor, runId()));

                Set<String> notOwn = new HashSet<>(lastPage);
                notOwn.removeAll(own);
                overshooting += notOwn.isEmpty() ? 0 : 1;
                Set<String> foundOnThePage = new HashSet<>(pastTheEnd);
                foundOnThePage.retainAll(lastPage);
                assertThat(foundOnThePage).as("slice " + index).isEqualTo(notOwn);
                assertThat(pastTheEnd).as("slice " + index).doesNotContainAnyElementsOf(own);
            }
        }
        assertThat(overshooting)
                .as("slices whose last call ran into the next slices' keys")
                .isPositive();
    }

    /**
     * On a table of 8 buckets, each bucket holds the keys of two of 16 slices, so the walk from slice 0's end starts
     * in the bucket holding slice 0's keys too: it proves nothing, and none of the page is passed over.
     */
    @Test
    void onATableOfFewerBucketsThanSlicesTheWalkFromTheEndPassesOverNothing() {
        List<Set<String>> bySlice = walkSixteenSlices(page -> {}).perSlice();
        Set<String> kept = new HashSet<>();
        bySlice.get(0).stream().limit(3).forEach(kept::add);
        bySlice.get(1).stream().limit(3).forEach(kept::add);
        try {
            List<String> others = redis.commands().keys("*");
            others.removeAll(kept);
            redis.commands().del(others.toArray(String[]::new));
            sleep(300); // the server's cron shrinks the table to 8 buckets
            ScanSlice slice = new ScanSlice(0, 4);
            KeyScanArgs arguments = hashesOfThePattern(16);
            try (PipelinedConnection connection = fixture.endpoint().openPipelined()) {
                Set<String> fromTheEnd =
                        texts(scan(connection, slice.endCursor(), arguments).getKeys());
                assertThat(fromTheEnd)
                        .as("slice 0's keys, in the bucket where slice 1 starts")
                        .containsAll(kept);

                String slice2Start = new ScanSlice(2, 4).startCursor();
                assertThat(SliceOvershoot.keysPastTheEnd(connection, slice, arguments, slice2Start, runId()))
                        .isEmpty();
            }
        } finally {
            load();
        }
    }

    private static KeyScanArgs hashesOfThePattern(int count) {
        return KeyScanArgs.Builder.limit(count).type("hash").match(PATTERN);
    }

    private static KeyScanCursor<byte[]> scan(PipelinedConnection connection, String cursor, KeyScanArgs arguments) {
        RedisFuture<KeyScanCursor<byte[]>> call = connection.reads().scan(ScanCursor.of(cursor), arguments);
        connection.flush();
        return connection.await(call);
    }

    private static Set<String> texts(List<byte[]> keys) {
        return keys.stream().map(EngineFixture::text).collect(Collectors.toSet());
    }

    private static Set<String> texts(Set<ByteBuffer> keys) {
        return keys.stream()
                .map(key -> StandardCharsets.UTF_8.decode(key.duplicate()).toString())
                .collect(Collectors.toSet());
    }

    private static String runId() {
        return ServerInfo.runId(redis.commands().info("server"));
    }

    private record SixteenSlices(List<Set<String>> perSlice, long documents, long pages) {
        Set<String> union() {
            Set<String> all = new HashSet<>();
            perSlice.forEach(all::addAll);
            return all;
        }
    }

    /** Walks 16 slices one after the other, calling {@code betweenPages} with the number of pages read so far. */
    private SixteenSlices walkSixteenSlices(IntConsumer betweenPages) {
        int slices = 16;
        long keysPerSlice = redis.commands().dbsize() / slices;
        List<Set<String>> perSlice = new ArrayList<>();
        long documents = 0;
        int pages = 0;
        for (int index = 0; index < slices; index++) {
            ExecutionContext context = freshContext(new ScanSlice(index, 4), keysPerSlice);
            PartitionSession session = session();
            PageReader reader = openReader(session, context);
            Set<String> keys = new HashSet<>();
            for (DocumentPage page = reader.read(); page != null; page = reader.read()) {
                keys.addAll(keys(page));
                reader.update(context);
                betweenPages.accept(++pages);
            }
            perSlice.add(keys);
            documents += session.progress().counts().read();
        }
        return new SixteenSlices(perSlice, documents, pages);
    }

    private static void deleteKeys(String pattern) {
        List<String> keys = redis.commands().keys(pattern);
        for (int from = 0; from < keys.size(); from += 1000) {
            redis.commands()
                    .del(keys.subList(from, Math.min(keys.size(), from + 1000)).toArray(String[]::new));
        }
        fixture.settleRehashing();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long scanCalls() {
        String stats = redis.commands().info("commandstats");
        Matcher calls = Pattern.compile("cmdstat_scan:calls=(\\d+)").matcher(stats);
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }
}
