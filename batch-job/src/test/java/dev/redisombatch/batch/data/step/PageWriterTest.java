package dev.redisombatch.batch.data.step;

import static dev.redisombatch.batch.data.EngineFixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.data.EngineFixture;
import dev.redisombatch.batch.data.store.ChangedCounter;
import dev.redisombatch.batch.data.store.HashStore;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.data.store.WriteMode;
import dev.redisombatch.batch.data.store.WriteScript;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.RedisSettings;
import dev.redisombatch.batch.redis.TransientFaults;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.support.ImpatientClient;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.Transform;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * {@link PageWriter} with the pieces a partition builds (no Spring Batch step): conditional writes, re-reads of
 * documents changed under the run, conflicts, gone keys, blind overwrites, the skip log and the counts.
 */
class PageWriterTest {

    private static final String ID = "m1";
    private static final String SKIP_LOG = SkippedKeyLog.KEY_PREFIX + ID;
    private static final String COUNTER_KEY = ChangedCounter.KEY_PREFIX + ID;
    private static final String COUNTER_FIELD = "apply:1";

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    static final EngineFixture fixture = EngineFixture.emptiedForEachTest(redis);

    private final AtomicInteger transformCalls = new AtomicInteger();
    /** Upper-cases field a into field b; rejects values starting with "bad". */
    private final Transform upper = document -> {
        transformCalls.incrementAndGet();
        String a = document.get("a").orElseThrow(() -> new DataMigrationException("no a"));
        if (a.startsWith("bad")) {
            throw new DataMigrationException("cannot migrate " + a);
        }
        return Change.set("b", a.toUpperCase());
    };

    private PartitionProgress progress;
    private PartitionSession session;
    private HashStore store;
    private PageProcessor processor;

    @BeforeEach
    void freshSession() {
        progress = new PartitionProgress();
        session = new PartitionSession("test", "", fixture.endpoint(), progress);
        store = new HashStore(Set.of());
    }

    @AfterEach
    void closeSession() {
        session.close();
    }

    private PageWriter writer(Transform transform, FailureMode mode, WriteMode writeMode, int batchSize) {
        processor = new PageProcessor(transform, new RejectionPolicy(ID, mode, ErrorBudget.unlimited()), progress);
        WriteScript script = new WriteScript(store, writeMode, new ChangedCounter(ID, Direction.APPLY, 1, false));
        return new PageWriter(session, store, processor, script, new SkippedKeyLog(ID, 1000), batchSize, () -> {});
    }

    private PageWriter writer(Transform transform) {
        return writer(transform, FailureMode.SKIP, WriteMode.CONDITIONAL, 100);
    }

    /** Reads the keys as the reader does (counting them) and runs them through the processor. */
    private PageChanges process(String... keys) {
        List<byte[]> raw = new ArrayList<>();
        for (String key : keys) {
            raw.add(bytes(key));
        }
        List<StoredDocument> documents = store.load(session.connection(), raw);
        progress.read(documents.size(), false);
        return processor.process(new DocumentPage(documents, false));
    }

    private static List<StreamMessage<String, String>> skipLog() {
        return redis.commands().xrange(SKIP_LOG, Range.create("-", "+"));
    }

    private Long counted() {
        String value = redis.commands().hget(COUNTER_KEY, COUNTER_FIELD);
        return value == null ? null : Long.parseLong(value);
    }

    private static void assertEveryDocumentEndsOnce(DocumentCounts counts) {
        assertThat(counts.read())
                .as("read = changed + unchanged + skipped + gone in %s", counts)
                .isEqualTo(counts.changed() + counts.unchanged() + counts.skipped() + counts.gone());
    }

    @Test
    void writesTheChangedDocuments() {
        redis.commands().hset("k1", Map.of("a", "x"));
        redis.commands().hset("k2", Map.of("a", "y", "b", "Y"));
        PageWriter writer = writer(upper);
        PageChanges page = process("k1", "k2");

        writer.write(Chunk.of(page));

        assertThat(redis.commands().hgetall("k1")).isEqualTo(Map.of("a", "x", "b", "X"));
        assertThat(progress.counts()).isEqualTo(new DocumentCounts(2, 1, 1, 0, 0, 0, 0));
        assertThat(counted()).isEqualTo(1L);
        assertThat(skipLog()).isEmpty();
    }

    @Test
    void aDocumentChangedBetweenReadAndWriteIsReadAndTransformedAgain() {
        redis.commands().hset("k", Map.of("a", "old"));
        PageWriter writer = writer(upper);
        PageChanges page = process("k");
        redis.commands().hset("k", "a", "new");

        writer.write(Chunk.of(page));

        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "new", "b", "NEW"));
        assertThat(transformCalls).hasValue(2);
        DocumentCounts counts = progress.counts();
        assertThat(counts).isEqualTo(new DocumentCounts(1, 1, 0, 0, 0, 0, 0));
        assertEveryDocumentEndsOnce(counts);
        assertThat(counted()).isEqualTo(1L);
        assertThat(skipLog()).isEmpty();
    }

    @Test
    void aDocumentFoundAlreadyMigratedOnTheReReadIsUnchanged() {
        redis.commands().hset("k", Map.of("a", "old"));
        PageWriter writer = writer(upper);
        PageChanges page = process("k");
        // Another client migrated it meanwhile.
        redis.commands().hset("k", Map.of("a", "new", "b", "NEW"));

        writer.write(Chunk.of(page));

        assertThat(progress.counts()).isEqualTo(new DocumentCounts(1, 0, 1, 0, 0, 0, 0));
        assertThat(counted()).isNull();
    }

    @Test
    void aDocumentThatChangesAtEveryAttemptEndsAsAConflictAndIsSkippedOnce() {
        String key = "conf\\lict:\n1";
        AtomicInteger fresh = new AtomicInteger();
        // Each call rewrites the key through another connection, so the document has changed by every write.
        Transform restless = document -> {
            transformCalls.incrementAndGet();
            redis.commands().hset(key, "a", "fresh-" + fresh.incrementAndGet());
            return Change.set("b", document.get("a").orElseThrow().toUpperCase());
        };
        redis.commands().hset(key, Map.of("a", "start"));
        PageWriter writer = writer(restless);
        PageChanges page = process(key);

        writer.write(Chunk.of(page));

        assertThat(transformCalls).hasValue(PageWriter.MAX_ATTEMPTS);
        assertThat(redis.commands().hgetall(key)).isEqualTo(Map.of("a", "fresh-" + PageWriter.MAX_ATTEMPTS));
        DocumentCounts counts = progress.counts();
        assertThat(counts).isEqualTo(new DocumentCounts(1, 0, 0, 1, 1, 0, 0));
        assertEveryDocumentEndsOnce(counts);
        List<StreamMessage<String, String>> skipped = skipLog();
        assertThat(skipped).hasSize(1);
        assertThat(skipped.get(0).getBody().get("key")).isEqualTo("conf\\\\lict:\\x0a1");
        assertThat(skipped.get(0).getBody().get("reason"))
                .isEqualTo("changed by another client between read and" + " write, " + PageWriter.MAX_ATTEMPTS
                        + " times in a row; not written");
        assertThat(skipped.get(0).getBody()).containsKey("at");
        assertThat(counted()).isNull();
    }

    @Test
    void underFailureModeFailAConflictStopsThePartition() {
        AtomicInteger fresh = new AtomicInteger();
        Transform restless = document -> {
            redis.commands().hset("k", "a", "fresh-" + fresh.incrementAndGet());
            return Change.set("b", "B");
        };
        redis.commands().hset("k", Map.of("a", "start"));
        PageWriter writer = writer(restless, FailureMode.FAIL, WriteMode.CONDITIONAL, 100);
        PageChanges page = process("k");

        assertThatThrownBy(() -> writer.write(Chunk.of(page)))
                .isInstanceOfSatisfying(
                        RedisOmBatchException.class,
                        failure -> assertThat(failure.failure()).isEqualTo(Failure.DATA))
                .hasMessageContaining("--failure-mode=fail");
        assertThat(redis.commands().hget("k", "b")).isNull();
        assertThat(skipLog()).isEmpty();
    }

    @Test
    void aKeyDeletedBeforeTheWriteIsCountedGoneAndStaysDeleted() {
        redis.commands().hset("k", Map.of("a", "x"));
        redis.commands().hset("typed", Map.of("a", "x"));
        PageWriter writer = writer(upper);
        PageChanges page = process("k", "typed");
        redis.commands().del("k", "typed");
        redis.commands().set("typed", "string");

        writer.write(Chunk.of(page));

        assertThat(redis.commands().exists("k")).isZero();
        assertThat(redis.commands().get("typed")).isEqualTo("string");
        DocumentCounts counts = progress.counts();
        assertThat(counts).isEqualTo(new DocumentCounts(2, 0, 0, 0, 0, 2, 0));
        assertEveryDocumentEndsOnce(counts);
        assertThat(skipLog()).isEmpty();
    }

    @Test
    void overwriteModeWritesBlindly() {
        redis.commands().hset("changed", Map.of("a", "old"));
        redis.commands().hset("deleted", Map.of("a", "old", "z", "1"));
        PageWriter writer = writer(upper, FailureMode.SKIP, WriteMode.OVERWRITE, 100);
        PageChanges page = process("changed", "deleted");
        redis.commands().hset("changed", "a", "new");
        redis.commands().del("deleted");

        writer.write(Chunk.of(page));

        // The concurrent update of a is not taken into account: b comes from the value read.
        assertThat(redis.commands().hgetall("changed")).isEqualTo(Map.of("a", "new", "b", "OLD"));
        // As WriteMode.OVERWRITE documents: a key deleted in between comes back (with the changed fields only).
        assertThat(redis.commands().hgetall("deleted")).isEqualTo(Map.of("b", "OLD"));
        assertThat(transformCalls).hasValue(2);
        DocumentCounts counts = progress.counts();
        assertThat(counts).isEqualTo(new DocumentCounts(2, 2, 0, 0, 0, 0, 0));
        assertEveryDocumentEndsOnce(counts);
        assertThat(counted()).as("blind writes are counted in Redis too").isEqualTo(2L);
    }

    @Test
    void overwriteModeRemovesFieldsAndDeletesKeys() {
        redis.commands().hset("rm", Map.of("a", "x", "gone", "1"));
        redis.commands().hset("del", Map.of("a", "delete-me"));
        Transform transform = document -> document.get("a").orElseThrow().startsWith("delete")
                ? Change.deleteKey()
                : Change.builder().set("b", "B").remove("gone").build();
        PageWriter writer = writer(transform, FailureMode.SKIP, WriteMode.OVERWRITE, 1);

        writer.write(Chunk.of(process("rm", "del")));

        assertThat(redis.commands().hgetall("rm")).isEqualTo(Map.of("a", "x", "b", "B"));
        assertThat(redis.commands().exists("del")).isZero();
        assertThat(progress.counts()).isEqualTo(new DocumentCounts(2, 2, 0, 0, 0, 0, 0));
    }

    @Test
    void aRejectedDocumentGoesToTheSkipLogWithItsKeyAndReason() {
        redis.commands().hset("bad:\u0001", Map.of("a", "bad\nvalue"));
        redis.commands().hset("fine", Map.of("a", "ok"));
        PageWriter writer = writer(upper);

        writer.write(Chunk.of(process("bad:\u0001", "fine")));

        List<StreamMessage<String, String>> skipped = skipLog();
        assertThat(skipped).hasSize(1);
        assertThat(skipped.get(0).getBody().get("key")).isEqualTo("bad:\\x01");
        assertThat(skipped.get(0).getBody().get("reason")).isEqualTo("cannot migrate bad\\u000avalue");
        assertThat(redis.commands().hgetall("fine")).isEqualTo(Map.of("a", "ok", "b", "OK"));
        DocumentCounts counts = progress.counts();
        assertThat(counts).isEqualTo(new DocumentCounts(2, 1, 0, 1, 0, 0, 0));
        assertEveryDocumentEndsOnce(counts);
    }

    @Test
    void aMixedPageInSeveralBatchesAccountsForEveryDocument() {
        int documents = 250;
        fixture.loadHashes("m:", documents, i -> switch (i % 10) {
            case 0 -> Map.of("a", "v" + i, "b", ("v" + i).toUpperCase());
            case 1 -> Map.of("a", "bad" + i);
            default -> Map.of("a", "v" + i);
        });
        PageWriter writer = writer(upper, FailureMode.LOG_AND_SKIP, WriteMode.CONDITIONAL, 40);
        PageChanges page =
                process(IntStream.range(0, documents).mapToObj(i -> "m:" + i).toArray(String[]::new));
        for (int i = 0; i < documents; i++) {
            String key = "m:" + i;
            switch (i % 10) {
                case 2 -> redis.commands().del(key);
                case 3 -> redis.commands().hset(key, "a", "w" + i);
                case 4 -> redis.commands().hset(key, Map.of("a", "x" + i, "b", "X" + i));
                case 5 -> {
                    redis.commands().del(key);
                    redis.commands().set(key, "string");
                }
                default -> {}
            }
        }

        writer.write(Chunk.of(page));

        DocumentCounts counts = progress.counts();
        // unchanged: already migrated (25) and migrated by another client meanwhile (25); skipped: "bad" (25);
        // gone: deleted (25) and replaced by a string (25); changed: the rest, 25 of them after a re-read.
        assertThat(counts).isEqualTo(new DocumentCounts(250, 125, 50, 25, 0, 50, 0));
        assertEveryDocumentEndsOnce(counts);
        assertThat(counted()).isEqualTo(125L);
        assertThat(skipLog()).hasSize(25);
        for (int i = 0; i < documents; i++) {
            String key = "m:" + i;
            switch (i % 10) {
                case 1 -> assertThat(redis.commands().hgetall(key)).isEqualTo(Map.of("a", "bad" + i));
                case 2 -> assertThat(redis.commands().exists(key)).isZero();
                case 3 -> assertThat(redis.commands().hgetall(key)).isEqualTo(Map.of("a", "w" + i, "b", "W" + i));
                case 4 -> assertThat(redis.commands().hgetall(key)).isEqualTo(Map.of("a", "x" + i, "b", "X" + i));
                case 5 -> assertThat(redis.commands().get(key)).isEqualTo("string");
                default -> assertThat(redis.commands().hgetall(key)).isEqualTo(Map.of("a", "v" + i, "b", "V" + i));
            }
        }
    }

    @Test
    void aWriteRefusedForLackOfMemoryIsSentAgainAndWrittenOnceThereIsRoom() throws Exception {
        redis.commands().hset("k", Map.of("a", "x"));
        redis.commands().hset("k2", Map.of("a", "y"));
        PageWriter writer = writer(upper);
        PageChanges page = process("k", "k2");
        redis.commands().configResetstat();
        redis.commands().configSet("maxmemory", "1");
        CompletableFuture<Void> writing;
        try {
            writing = CompletableFuture.runAsync(() -> writer.write(Chunk.of(page)));
            // Memory comes back once the writer has been refused and has sent the batch again at least once.
            while (scriptCalls() < 2 && !writing.isDone()) {
                Thread.sleep(5);
            }
        } finally {
            redis.commands().configSet("maxmemory", "0");
        }
        writing.get(60, TimeUnit.SECONDS);
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "x", "b", "X"));
        assertThat(redis.commands().hgetall("k2")).isEqualTo(Map.of("a", "y", "b", "Y"));
        assertThat(skipLog()).isEmpty();
        assertThat(counted()).isEqualTo(2L);
        assertThat(progress.counts()).isEqualTo(new DocumentCounts(2, 2, 0, 0, 0, 0, 0));
    }

    @Test
    void aWriteStillRefusedAfterItsRetriesFailsThePageAndIsNeverSkipped() {
        redis.commands().hset("k", Map.of("a", "x"));
        try (RedisEndpoint oneRetry =
                new RedisEndpoint(RedisSettings.of(redis.url()).withRetries(1))) {
            session.close();
            session = new PartitionSession("test", "", oneRetry, progress);
            PageWriter writer = writer(upper);
            PageChanges page = process("k");
            redis.commands().configResetstat();
            redis.commands().configSet("maxmemory", "1");
            try {
                assertThatThrownBy(() -> writer.write(Chunk.of(page)))
                        .satisfies(failure ->
                                assertThat(TransientFaults.isTransient(failure)).isTrue())
                        .hasMessageContaining("OOM")
                        .hasMessageContaining("1 of 1 documents not written");
            } finally {
                redis.commands().configSet("maxmemory", "0");
            }
            assertThat(scriptCalls()).isEqualTo(2);
            session.close();
            session = new PartitionSession("test", "", fixture.endpoint(), progress);
        }
        assertThat(redis.commands().hgetall("k")).isEqualTo(Map.of("a", "x"));
        assertThat(skipLog()).isEmpty();
        assertThat(counted()).isNull();
        assertThat(progress.counts()).isEqualTo(new DocumentCounts(1, 0, 0, 0, 0, 0, 0));
    }

    private long scriptCalls() {
        String stats = redis.commands().info("commandstats");
        return stats.lines()
                .filter(line -> line.startsWith("cmdstat_evalsha:"))
                .findFirst()
                .map(line -> Long.parseLong(line.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*", "$1")))
                .orElse(0L);
    }

    /** Goes on with a session whose calls time out well within a pause of the server's writes. */
    private RedisEndpoint impatientSession() {
        session.close();
        RedisEndpoint endpoint = ImpatientClient.endpoint(redis);
        session = new PartitionSession("test", "", endpoint, progress);
        return endpoint;
    }

    /** Seen before: 3,094 skip-log entries for 1,547 skipped keys, the XADDs having timed out, run, and been resent. */
    @Test
    void aPageOfSkipsSentAgainAfterATimeoutIsLoggedOnce() {
        fixture.loadHashes("m:", 20, i -> Map.of("a", "bad" + i));
        redis.commands().hset("first", Map.of("a", "bad"));
        try (RedisEndpoint endpoint = impatientSession()) {
            PageWriter writer = writer(upper);
            writer.write(Chunk.of(process("first")));
            PageChanges page =
                    process(IntStream.range(0, 20).mapToObj(i -> "m:" + i).toArray(String[]::new));
            redis.commands().configResetstat();
            redis.pauseWrites(ImpatientClient.PAUSE);

            writer.write(Chunk.of(page));

            assertThat(redis.calls("evalsha"))
                    .as("the page was sent again after a timeout")
                    .isGreaterThanOrEqualTo(2);
            session.close();
        }
        assertThat(skipLog()).hasSize(21);
        assertThat(skipLog().stream().map(entry -> entry.getBody().get("key")).distinct())
                .hasSize(21);
        assertThat(progress.counts()).isEqualTo(new DocumentCounts(21, 0, 0, 21, 0, 0, 0));
    }

    /** The counter would count a blind batch sent again twice; the resend goes conditionally and finds it done. */
    @Test
    void anOverwriteBatchSentAgainAfterATimeoutIsWrittenAndCountedOnce() {
        fixture.loadHashes("m:", 20, i -> Map.of("a", "v" + i));
        redis.commands().hset("first", Map.of("a", "first"));
        try (RedisEndpoint endpoint = impatientSession()) {
            PageWriter writer = writer(upper, FailureMode.SKIP, WriteMode.OVERWRITE, 100);
            writer.write(Chunk.of(process("first")));
            PageChanges page =
                    process(IntStream.range(0, 20).mapToObj(i -> "m:" + i).toArray(String[]::new));
            redis.commands().configResetstat();
            redis.pauseWrites(ImpatientClient.PAUSE);

            writer.write(Chunk.of(page));

            assertThat(redis.calls("evalsha"))
                    .as("the batch was sent again after a timeout")
                    .isGreaterThanOrEqualTo(2);
            session.close();
        }
        assertThat(counted()).isEqualTo(21L);
        for (int i = 0; i < 20; i++) {
            assertThat(redis.commands().hgetall("m:" + i)).isEqualTo(Map.of("a", "v" + i, "b", "V" + i));
        }
        DocumentCounts counts = progress.counts();
        assertThat(counts.read()).isEqualTo(21);
        assertEveryDocumentEndsOnce(counts);
        assertThat(skipLog()).isEmpty();
    }

    /**
     * A field the change writes but fieldsRead() does not name could be neither compared before the write nor seen
     * as done afterwards: the document is refused (skipped, with the reason), and nothing is written.
     */
    @Test
    void aFieldWrittenButNotDeclaredReadIsRefused() {
        store = new HashStore(Set.of("a"));
        redis.commands().hset("k", Map.of("a", "x"));
        PageWriter writer = writer(upper);
        PageChanges page = process("k");
        redis.commands().hset("k", "b", "set by the application");

        writer.write(Chunk.of(page));

        assertThat(page.writes()).isEmpty();
        assertThat(page.skips())
                .singleElement()
                .satisfies(skip ->
                        assertThat(skip.reason()).contains("sets field b, which its fieldsRead() does not name"));
        assertThat(redis.commands().hget("k", "b")).isEqualTo("set by the application");
        assertThat(progress.counts()).isEqualTo(new DocumentCounts(1, 0, 0, 1, 0, 0, 0));
        assertThat(counted()).isNull();
    }
}
