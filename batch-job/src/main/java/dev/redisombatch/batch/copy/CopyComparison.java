package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.data.step.MigrationReplay;
import dev.redisombatch.batch.data.store.DocumentRejectedException;
import dev.redisombatch.batch.data.store.DocumentStore;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.data.store.StoredHash;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.results.CopyComparisonFindings;
import dev.redisombatch.batch.schema.IndexKeys;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Json;
import dev.redisombatch.migration.RedisType;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code verify --check-data --target.url}: whether the target holds what a copy makes of the source. Walks every key
 * of the source (each master's, or its first {@code sample} keys), a SCAN page at a time, and for each:
 *
 * <ul>
 *   <li>a document that a data migration applied on the target selects: read whole on the source with the store its
 *       type's migrations use, run through those migrations in memory in plan order ({@link MigrationReplay}, which
 *       writes nothing), and compared with the document the target holds, field by field (JSON members as JSON
 *       values); hash field TTLs are not compared, as the stores do not read them;
 *   <li>any other key: the same type and the same value, then the same expiry within {@value #TTL_TOLERANCE_MILLIS}
 *       ms.
 * </ul>
 *
 * A value is first compared as {@code DUMP} payloads, which are equal only for equal values (same bytes, same RDB
 * version): a copy made by RESTORE of those payloads usually is, in one round trip per page. Different payloads do not
 * mean different values, though (a set kept as a hash table is dumped in the order of each server's hash seed; another
 * encoding after a change and its undoing; another server version), so those
 * are read by type and compared as values ({@link KeyValues}); only keys of a type that cannot be read that way (a
 * module's other than RedisJSON) are judged by their payloads alone. Then, walking the whole source, the target is
 * walked for keys the source does not hold. This tool's own keys, the sets of applied migration ids and Redis OM's
 * keys of each side's indexes are left out on both sides. Both servers are only read.
 */
public final class CopyComparison {

    static final int MAX_EXAMPLES = 5;
    /**
     * How far apart two expiry times may be and count as the same: the two remaining times are read a moment apart,
     * and a copy sets the target's expiry from this machine's clock.
     */
    static final long TTL_TOLERANCE_MILLIS = 2_000;

    private enum Verdict {
        EQUAL,
        MISSING_ON_TARGET,
        VALUE_DIFFERS,
        TTL_DIFFERS,
        EXTRA_ON_TARGET
    }

    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final MigrationReplay replay;
    private final int scanCount;
    private final long sample;
    /** The keys the copy took: only those are compared ({@code --target.copy=migrated}). */
    private final CopiedKeys keys;

    private final Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
    /** Set once a server refused HPEXPIRETIME: no hash field expiration to compare. */
    private boolean fieldExpiryUnknown;

    private final Map<Verdict, List<String>> examples = new EnumMap<>(Verdict.class);

    /**
     * Redis OM's keys of the indexes either side has ({@code <index>:schema}, {@code <index>:hash}): they describe
     * each side's indexes, which the schema migrations run on the target change, not data; left out on both sides.
     */
    private final Set<String> indexKeys = new HashSet<>();

    private CopyComparison(
            RedisEndpoint source,
            RedisEndpoint target,
            MigrationReplay replay,
            CopiedKeys keys,
            int scanCount,
            long sample) {
        this.keys = keys;
        this.source = source;
        this.target = target;
        this.replay = replay;
        this.scanCount = scanCount;
        this.sample = sample;
        for (Verdict verdict : Verdict.values()) {
            counts.put(verdict, 0L);
            examples.put(verdict, new ArrayList<>());
        }
    }

    /**
     * @param appliedInPlanOrder the data migrations applied on the target whose code is here, in plan order
     * @param keys the keys the copy took, as the target's copy mark says: the others are not expected there
     * @param sample source keys to compare per master; {@code Long.MAX_VALUE} for all, and then the target is walked
     *     for keys the source lacks
     */
    public static CopyComparisonFindings run(
            RedisEndpoint source,
            RedisEndpoint target,
            List<DataMigration> appliedInPlanOrder,
            CopiedKeys keys,
            int scanCount,
            long sample) {
        return new CopyComparison(source, target, new MigrationReplay(appliedInPlanOrder), keys, scanCount, sample)
                .run();
    }

    private CopyComparisonFindings run() {
        indexKeys.addAll(IndexKeys.namesOn(source));
        indexKeys.addAll(IndexKeys.namesOn(target));
        boolean sampled = sample != Long.MAX_VALUE;
        try (PipelinedConnection onTarget =
                target.transientFaults().call("connect to the target", target::openPipelined)) {
            for (Topology.Master master : source.transientFaults()
                    .call("read the source's topology", source::topology)
                    .masters()) {
                walkSource(master, onTarget);
            }
        }
        if (!sampled) {
            try (PipelinedConnection onSource =
                    source.transientFaults().call("connect to the source", source::openPipelined)) {
                for (Topology.Master master : target.transientFaults()
                        .call("read the target's topology", target::topology)
                        .masters()) {
                    walkTarget(master, onSource);
                }
            }
        }
        long compared = counts.get(Verdict.EQUAL)
                + counts.get(Verdict.MISSING_ON_TARGET)
                + counts.get(Verdict.VALUE_DIFFERS)
                + counts.get(Verdict.TTL_DIFFERS);
        return new CopyComparisonFindings(
                source.target(),
                target.target(),
                sampled,
                compared,
                counts.get(Verdict.EQUAL),
                counts.get(Verdict.MISSING_ON_TARGET),
                counts.get(Verdict.VALUE_DIFFERS),
                counts.get(Verdict.TTL_DIFFERS),
                sampled ? null : counts.get(Verdict.EXTRA_ON_TARGET),
                new CopyComparisonFindings.Examples(
                        List.copyOf(examples.get(Verdict.MISSING_ON_TARGET)),
                        List.copyOf(examples.get(Verdict.VALUE_DIFFERS)),
                        List.copyOf(examples.get(Verdict.TTL_DIFFERS)),
                        List.copyOf(examples.get(Verdict.EXTRA_ON_TARGET))));
    }

    private void walkSource(Topology.Master master, PipelinedConnection onTarget) {
        try (PipelinedConnection onSource =
                source.transientFaults().call("connect to the source", () -> source.openPipelined(master.nodeId()))) {
            String cursor = ScanCursor.INITIAL.getCursor();
            long seen = 0;
            boolean finished;
            do {
                KeyScanCursor<byte[]> page = scan(source, onSource, cursor);
                List<byte[]> copied = source.transientFaults()
                        .call(
                                "TYPE of the keys a copy may leave out",
                                () -> keys.split(onSource, withoutIndexKeys(page.getKeys()))
                                        .copied());
                List<byte[]> wanted = copied.subList(0, (int) Math.min(copied.size(), sample - seen));
                seen += wanted.size();
                // A page is compared again whole after a transient fault: its verdicts are kept only once it is done.
                Map<byte[], Verdict> verdicts = source.transientFaults()
                        .call(
                                "compare a page of the source with the target",
                                () -> compare(onSource, onTarget, wanted));
                verdicts.forEach((key, verdict) -> count(verdict, key));
                cursor = page.getCursor();
                finished = page.isFinished();
            } while (!finished && seen < sample);
        }
    }

    /** Keys of one target master that the source does not hold (deleted there since the copy, or never there). */
    private void walkTarget(Topology.Master master, PipelinedConnection onSource) {
        try (PipelinedConnection onTarget =
                target.transientFaults().call("connect to the target", () -> target.openPipelined(master.nodeId()))) {
            String cursor = ScanCursor.INITIAL.getCursor();
            boolean finished;
            do {
                KeyScanCursor<byte[]> page = scan(target, onTarget, cursor);
                List<byte[]> keys = CopiedKeys.dataOf(withoutIndexKeys(page.getKeys()));
                List<Long> onTheSource = source.transientFaults().call("EXISTS on the source", () -> {
                    List<RedisFuture<Long>> exists = new ArrayList<>(keys.size());
                    keys.forEach(key -> exists.add(onSource.writes().exists(key)));
                    return awaitAll(onSource, exists);
                });
                for (int i = 0; i < keys.size(); i++) {
                    if (onTheSource.get(i) == 0) {
                        count(Verdict.EXTRA_ON_TARGET, keys.get(i));
                    }
                }
                cursor = page.getCursor();
                finished = page.isFinished();
            } while (!finished);
        }
    }

    private List<byte[]> withoutIndexKeys(List<byte[]> keys) {
        if (indexKeys.isEmpty()) {
            return keys;
        }
        List<byte[]> others = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            if (!indexKeys.contains(new String(key, StandardCharsets.UTF_8))) {
                others.add(key);
            }
        }
        return others;
    }

    private KeyScanCursor<byte[]> scan(RedisEndpoint redis, PipelinedConnection connection, String cursor) {
        return redis.transientFaults().call("SCAN " + redis.target(), () -> {
            RedisFuture<KeyScanCursor<byte[]>> scan =
                    connection.reads().scan(ScanCursor.of(cursor), KeyScanArgs.Builder.limit(scanCount));
            connection.flush();
            return connection.await(scan);
        });
    }

    /** The verdict on each key of a page still on the source; a key gone from it since SCAN gets none. */
    private Map<byte[], Verdict> compare(
            PipelinedConnection onSource, PipelinedConnection onTarget, List<byte[]> keys) {
        List<RedisFuture<String>> sourceTypes = new ArrayList<>(keys.size());
        List<RedisFuture<Long>> sourceTtls = new ArrayList<>(keys.size());
        List<RedisFuture<String>> targetTypes = new ArrayList<>(keys.size());
        List<RedisFuture<Long>> targetTtls = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            sourceTypes.add(onSource.reads().type(key));
            sourceTtls.add(onSource.reads().pttl(key));
            targetTypes.add(onTarget.writes().type(key));
            targetTtls.add(onTarget.writes().pttl(key));
        }
        onSource.flush();
        List<String> typesThere = awaitAll(onTarget, targetTypes);
        List<Long> ttlsThere = awaitAll(onTarget, targetTtls);
        List<String> typesHere = awaitAll(onSource, sourceTypes);
        List<Long> ttlsHere = awaitAll(onSource, sourceTtls);

        Map<byte[], Verdict> verdicts = new LinkedHashMap<>();
        Map<RedisType, List<Integer>> documents = new EnumMap<>(RedisType.class);
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String type = typesHere.get(i);
            if (type.equals("none")) {
                continue;
            }
            Optional<RedisType> document = replay.selectedAs(keys.get(i), type);
            if (document.isPresent()) {
                documents
                        .computeIfAbsent(document.get(), any -> new ArrayList<>())
                        .add(i);
            } else {
                values.add(i);
            }
        }
        documents.forEach((type, indexes) -> {
            DocumentStore store = DocumentStore.wholeDocuments(type);
            List<byte[]> names = indexes.stream().map(keys::get).toList();
            Map<ByteBuffer, StoredDocument> here = byKey(store.load(onSource, names));
            Map<ByteBuffer, StoredDocument> there = byKey(store.load(onTarget, onTarget.writes(), names));
            for (int i : indexes) {
                byte[] key = keys.get(i);
                StoredDocument read = here.get(ByteBuffer.wrap(key));
                if (read == null) {
                    continue;
                }
                Optional<StoredDocument> expected;
                try {
                    expected = replay.replay(read);
                } catch (DocumentRejectedException notADocument) {
                    // A JSON document that is not UTF-8: no migration could have changed it, so it is compared as a
                    // value.
                    values.add(i);
                    continue;
                }
                Verdict verdict;
                if (expected.isEmpty()) {
                    verdict = typesThere.get(i).equals("none") ? Verdict.EQUAL : Verdict.VALUE_DIFFERS;
                } else if (typesThere.get(i).equals("none")) {
                    verdict = Verdict.MISSING_ON_TARGET;
                } else if (!sameDocument(expected.get(), there.get(ByteBuffer.wrap(key)))) {
                    verdict = Verdict.VALUE_DIFFERS;
                } else {
                    verdict = expiry(ttlsHere.get(i), ttlsThere.get(i));
                }
                verdicts.put(key, verdict);
            }
        });
        compareValues(onSource, onTarget, keys, values, typesHere, typesThere, ttlsHere, ttlsThere, verdicts);
        return verdicts;
    }

    /** Keys no migration made anything of: the same type, value and expiry on both. */
    private void compareValues(
            PipelinedConnection onSource,
            PipelinedConnection onTarget,
            List<byte[]> keys,
            List<Integer> indexes,
            List<String> typesHere,
            List<String> typesThere,
            List<Long> ttlsHere,
            List<Long> ttlsThere,
            Map<byte[], Verdict> verdicts) {
        List<Integer> both = new ArrayList<>();
        for (int i : indexes) {
            if (typesThere.get(i).equals("none")) {
                verdicts.put(keys.get(i), Verdict.MISSING_ON_TARGET);
            } else if (!typesThere.get(i).equals(typesHere.get(i))) {
                verdicts.put(keys.get(i), Verdict.VALUE_DIFFERS);
            } else {
                both.add(i);
            }
        }
        List<RedisFuture<byte[]>> dumpsHere = new ArrayList<>(both.size());
        List<RedisFuture<byte[]>> dumpsThere = new ArrayList<>(both.size());
        for (int i : both) {
            dumpsHere.add(onSource.reads().dump(keys.get(i)));
            dumpsThere.add(onTarget.writes().dump(keys.get(i)));
        }
        onSource.flush();
        List<byte[]> payloadsThere = awaitAll(onTarget, dumpsThere);
        List<byte[]> payloadsHere = awaitAll(onSource, dumpsHere);
        List<Integer> toRead = new ArrayList<>();
        List<RedisFuture<?>> readsHere = new ArrayList<>();
        List<RedisFuture<?>> readsThere = new ArrayList<>();
        for (int n = 0; n < both.size(); n++) {
            int i = both.get(n);
            String type = typesHere.get(i);
            if (Arrays.equals(payloadsHere.get(n), payloadsThere.get(n))) {
                verdicts.put(keys.get(i), expiry(ttlsHere.get(i), ttlsThere.get(i)));
            } else if (KeyValues.readable(type)) {
                toRead.add(i);
                readsHere.add(KeyValues.read(onSource.reads(), keys.get(i), type));
                readsThere.add(KeyValues.read(onTarget.writes(), keys.get(i), type));
            } else {
                verdicts.put(keys.get(i), Verdict.VALUE_DIFFERS);
            }
        }
        onSource.flush();
        List<?> valuesThere = awaitAll(onTarget, readsThere);
        List<?> valuesHere = awaitAll(onSource, readsHere);
        Map<Integer, byte[][]> equalHashes = new LinkedHashMap<>();
        for (int n = 0; n < toRead.size(); n++) {
            int i = toRead.get(n);
            boolean same = KeyValues.sameValue(typesHere.get(i), valuesHere.get(n), valuesThere.get(n));
            verdicts.put(keys.get(i), same ? expiry(ttlsHere.get(i), ttlsThere.get(i)) : Verdict.VALUE_DIFFERS);
            if (same && typesHere.get(i).equals("hash") && valuesHere.get(n) instanceof Map<?, ?> fields) {
                equalHashes.put(i, fields.keySet().toArray(byte[][]::new));
            }
        }
        compareFieldExpiry(onSource, onTarget, keys, equalHashes, verdicts);
    }

    /**
     * Equal hashes whose payloads differ may still differ in their fields' expiry times (Redis 7.4+), which neither
     * HGETALL nor the key's TTL shows: HPEXPIRETIME of every field on both sides, within the same tolerance as a key's.
     * Servers without hash field expiration have none to compare (asked once, by the first call's refusal).
     */
    private void compareFieldExpiry(
            PipelinedConnection onSource,
            PipelinedConnection onTarget,
            List<byte[]> keys,
            Map<Integer, byte[][]> equalHashes,
            Map<byte[], Verdict> verdicts) {
        if (equalHashes.isEmpty() || fieldExpiryUnknown) {
            return;
        }
        List<RedisFuture<List<Long>>> here = new ArrayList<>(equalHashes.size());
        List<RedisFuture<List<Long>>> there = new ArrayList<>(equalHashes.size());
        equalHashes.forEach((i, fields) -> {
            here.add(onSource.reads().hpexpiretime(keys.get(i), fields));
            there.add(onTarget.writes().hpexpiretime(keys.get(i), fields));
        });
        onSource.flush();
        List<List<Long>> timesThere;
        List<List<Long>> timesHere;
        try {
            timesThere = awaitAll(onTarget, there);
            timesHere = awaitAll(onSource, here);
        } catch (RedisCommandExecutionException unknown) {
            if (!String.valueOf(unknown.getMessage()).startsWith("ERR unknown command")) {
                throw unknown;
            }
            fieldExpiryUnknown = true;
            return;
        }
        int n = 0;
        for (int i : equalHashes.keySet()) {
            List<Long> a = timesHere.get(n);
            List<Long> b = timesThere.get(n++);
            for (int field = 0; field < a.size(); field++) {
                if (expiry(a.get(field), b.get(field)) != Verdict.EQUAL) {
                    verdicts.put(keys.get(i), Verdict.TTL_DIFFERS);
                    break;
                }
            }
        }
    }

    /**
     * The document the target holds, as the migrations made it of the source's: a hash's fields with the same bytes,
     * or a JSON document's members as JSON values.
     */
    private static boolean sameDocument(StoredDocument expected, StoredDocument there) {
        if (there == null) {
            return false;
        }
        if (expected instanceof StoredHash hash) {
            return there instanceof StoredHash actual && fieldsOf(hash).equals(fieldsOf(actual));
        }
        try {
            return Json.equivalent(
                    expected.document().toJson(), there.document().toJson());
        } catch (DocumentRejectedException notADocument) {
            return false;
        }
    }

    private static Map<ByteBuffer, ByteBuffer> fieldsOf(StoredHash hash) {
        Map<ByteBuffer, ByteBuffer> fields = new HashMap<>();
        for (int i = 0; i < hash.fieldNames().length; i++) {
            if (hash.values()[i] != null) {
                fields.put(ByteBuffer.wrap(hash.fieldNames()[i]), ByteBuffer.wrap(hash.values()[i]));
            }
        }
        return fields;
    }

    /** Both without expiry, or both expiring within {@value #TTL_TOLERANCE_MILLIS} ms of each other (PTTLs). */
    private static Verdict expiry(long here, long there) {
        boolean same = here < 0 || there < 0 ? here == there : Math.abs(here - there) <= TTL_TOLERANCE_MILLIS;
        return same ? Verdict.EQUAL : Verdict.TTL_DIFFERS;
    }

    private static Map<ByteBuffer, StoredDocument> byKey(List<StoredDocument> documents) {
        Map<ByteBuffer, StoredDocument> byKey = new HashMap<>();
        documents.forEach(document -> byKey.put(ByteBuffer.wrap(document.key()), document));
        return byKey;
    }

    /** Flushes and waits for every reply, in order. */
    private static <T> List<T> awaitAll(
            PipelinedConnection connection, List<? extends RedisFuture<? extends T>> futures) {
        connection.flushAndSettle(futures);
        List<T> replies = new ArrayList<>(futures.size());
        for (RedisFuture<? extends T> future : futures) {
            replies.add(connection.await(future));
        }
        return replies;
    }

    private void count(Verdict verdict, byte[] key) {
        counts.merge(verdict, 1L, Long::sum);
        List<String> kept = examples.get(verdict);
        if (verdict != Verdict.EQUAL && kept.size() < MAX_EXAMPLES) {
            kept.add(KeyText.printable(key));
        }
    }
}
