package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.ChangedCounter;
import dev.redisombatch.batch.data.store.DocumentRejectedException;
import dev.redisombatch.batch.data.store.DocumentStore;
import dev.redisombatch.batch.data.store.PendingWrite;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.data.store.StoredHash;
import dev.redisombatch.batch.data.store.WriteMode;
import dev.redisombatch.batch.data.store.WriteScript;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.HashPayload;
import dev.redisombatch.batch.redis.KeyPattern;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.RedisType;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The pending data migrations made on the way by a copy to another Redis, so that a copied document is read once and
 * written once: each document a migration selects (a pattern of its key selector, matched as SCAN matches, and its
 * type) is read (a hash that does not expire from the {@code DUMP} payload the copy took, {@link HashPayload}; anything
 * else on the source, in the copy's pipeline), shown to every migration that selects it in plan order (only its
 * {@code fieldsRead}, as the migrations before it left it, in memory: {@link DocumentChain}), and written on the target
 * once.
 *
 * <p>A hash read from its payload that the migrations change is rebuilt as a payload of its own and restored in its
 * place, with no write after it ({@link Page#payloadToRestore}); its migrations count it changed. Every other change
 * goes through the same page writer and write script as a walk, a batch per target master, {@link WriteMode#OVERWRITE}:
 * nothing but the copy writes to a target being copied. Such a hash is restored by its first migration's write in the
 * same script call; the later migrations' writes of it write only where it is there ({@link
 * Page#restoreWithTheirWrites}); both are blind on every send, also when a batch is sent again after a timeout, so each
 * document is counted once, by the status of its last send. A document a migration rejects is counted, logged in the
 * target's skip log and left as the source holds it (or as the migrations before it left it), as a walk leaves it.
 *
 * <p>Each slice of the copy keeps its counts per migration in its checkpoint, so that the counts of a resumed copy run
 * on: the pages a killed execution read after its last checkpoint are read, written and counted again by the next.
 */
public final class CopyConversion {

    private static final String COUNTS = "redis-om-batch.converted.";

    private final List<DataMigration> inPlanOrder;
    private final DataRunContext target;

    /**
     * @param inPlanOrder the migrations to make on the way, in plan order; empty for a plain copy
     * @param target the run on the target: its Redis, settings, error budget and lock
     */
    public CopyConversion(List<DataMigration> inPlanOrder, DataRunContext target) {
        this.inPlanOrder = List.copyOf(inPlanOrder);
        this.target = target;
    }

    /** The same copy making no migration on the way. */
    public CopyConversion none() {
        return new CopyConversion(List.of(), target);
    }

    public List<DataMigration> migrations() {
        return inPlanOrder;
    }

    public boolean isEmpty() {
        return inPlanOrder.isEmpty();
    }

    /** The counts one slice's checkpoint holds of a migration; none when it holds nothing of it. */
    public static DocumentCounts countsIn(ExecutionContext checkpoint, String migrationId) {
        String counts = checkpoint.containsKey(COUNTS + migrationId) ? checkpoint.getString(COUNTS + migrationId) : "";
        if (counts.isEmpty()) {
            return DocumentCounts.NONE;
        }
        long[] n = Arrays.stream(counts.split(",")).mapToLong(Long::parseLong).toArray();
        return new DocumentCounts(n[0], n[1], n[2], n[3], n[4], n[5], 0);
    }

    /** Drops the migrations' change counters from the target, once their records hold the counts. */
    public void clearCounters() {
        for (DataMigration migration : inPlanOrder) {
            counter(migration).clear(target.redis());
        }
    }

    private ChangedCounter counter(DataMigration migration) {
        return ChangedCounter.ofCopy(migration.id(), target.redis().groupsWritesBySlot());
    }

    /** The conversion of one slice of the copy, its counts going on from {@code checkpoint}'s. */
    public Slice slice(String name, ExecutionContext checkpoint) {
        return new Slice(name, checkpoint);
    }

    /**
     * A page's documents as read on the source, by type, then what they become ({@link Slice#convert}): per migration
     * and type, the changes to write and the documents skipped.
     */
    public static final class Page {

        /** A page nothing of which is converted. */
        public static final Page NONE = new Page(Map.of(), Map.of());

        private final Map<RedisType, List<StoredDocument>> documents;
        /** The hashes read from their payload, by key (identity): each is rebuilt whole when converted. */
        private final Map<byte[], HashPayload> dumpedHashes;
        /** Converted hashes, by key (identity): the payload to restore instead of the source's, with no write after. */
        private final Map<byte[], byte[]> rebuilt = new IdentityHashMap<>();

        private List<List<PageChanges>> changes = List.of();

        private Page(Map<RedisType, List<StoredDocument>> documents, Map<byte[], HashPayload> dumpedHashes) {
            this.documents = documents;
            this.dumpedHashes = dumpedHashes;
        }

        /**
         * What to restore of {@code key}: the payload of the hash the migrations made of it, when it was rebuilt so,
         * else the source's {@code dumped} payload.
         */
        public byte[] payloadToRestore(byte[] key, byte[] dumped) {
            return rebuilt.isEmpty() ? dumped : rebuilt.getOrDefault(key, dumped);
        }

        /** Whether some key of the page is restored as the migrations made it rather than as the source holds it. */
        public boolean rebuiltAny() {
            return !rebuilt.isEmpty();
        }

        /**
         * Gives the first write of each hash the migrations change (in plan order) the key as the source serialised
         * it, to restore in the same script call, so that the document is written once, converted: the keys it
         * returns are not to be restored on their own. Every later write of such a hash writes only where it is
         * there. A hash the first migration to write it deletes, and a JSON document, are restored on their own
         * first.
         *
         * @param restoreOf the key as read on the source, by the very array the page's documents were read under
         * @return those keys, compared by identity
         */
        public Set<byte[]> restoreWithTheirWrites(Function<byte[], PendingWrite.Restore> restoreOf) {
            if (changes.isEmpty()) {
                return Set.of();
            }
            Set<byte[]> carried = Collections.newSetFromMap(new IdentityHashMap<>());
            Set<byte[]> written = Collections.newSetFromMap(new IdentityHashMap<>());
            List<List<PageChanges>> carrying = new ArrayList<>(changes.size());
            for (List<PageChanges> step : changes) {
                List<PageChanges> pages = new ArrayList<>(step.size());
                for (PageChanges page : step) {
                    List<PendingWrite> writes = new ArrayList<>(page.writes().size());
                    for (PendingWrite write : page.writes()) {
                        byte[] key = write.stored().key();
                        if (!write.before().isJson()) {
                            boolean first = written.add(key);
                            if (first && !write.change().deletesKey()) {
                                carried.add(key);
                                write = write.restoring(restoreOf.apply(key));
                            } else {
                                // Every other write of a hash, a deletion too, finds it there or leaves it gone.
                                write = write.restoring(PendingWrite.Restore.EARLIER);
                            }
                        }
                        writes.add(write);
                    }
                    pages.add(new PageChanges(writes, page.skips()));
                }
                carrying.add(pages);
            }
            changes = carrying;
            return carried;
        }
    }

    /** One slice's conversion: its own connections to the target, one per migration, and its own counts. */
    public final class Slice implements AutoCloseable {

        private final List<Step> steps = new ArrayList<>();
        private final Map<RedisType, DocumentStore> readers = new EnumMap<>(RedisType.class);
        /** Which target master serves each slot, read at the first write; null before, or for a single server. */
        private String[] masterOfSlot;

        private Slice(String name, ExecutionContext checkpoint) {
            for (DataMigration migration : inPlanOrder) {
                steps.add(new Step(migration, name, countsIn(checkpoint, migration.id())));
            }
            for (RedisType type : RedisType.values()) {
                List<Step> selecting = steps.stream()
                        .filter(step -> step.processors.containsKey(type))
                        .toList();
                if (selecting.size() == 1) {
                    // Only what that migration reads, as its walk would read it.
                    readers.put(type, DocumentStore.of(selecting.get(0).migration, type, command -> false));
                } else if (selecting.size() > 1) {
                    readers.put(type, DocumentStore.wholeDocuments(type));
                }
            }
        }

        /**
         * Reads the documents of {@code keys} some migration selects, as each is to be shown to them: a hash from the
         * payload given for it where that is one {@link HashPayload} reads, anything else on the source.
         *
         * @param types each key's type as {@code TYPE} names it, or null where it is not known (it is then asked)
         * @param payloads each key's {@code DUMP} payload, or null where the hash is not to be read from it
         */
        public Page read(PipelinedConnection source, List<byte[]> keys, List<String> types, List<byte[]> payloads) {
            if (steps.isEmpty()) {
                return Page.NONE;
            }
            Map<RedisType, List<byte[]>> byType = new EnumMap<>(RedisType.class);
            Map<byte[], HashPayload> dumpedHashes = new IdentityHashMap<>();
            List<byte[]> unknown = new ArrayList<>();
            List<RedisFuture<String>> asked = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                byte[] key = keys.get(i);
                if (!selectedByName(key)) {
                    continue;
                }
                if (types.get(i) == null) {
                    unknown.add(key);
                    asked.add(source.reads().type(key));
                    continue;
                }
                HashPayload fields = readers.containsKey(RedisType.HASH)
                                && payloads.get(i) != null
                                && RedisType.HASH.redisName().equals(types.get(i))
                        ? HashPayload.read(payloads.get(i))
                        : null;
                if (fields != null) {
                    dumpedHashes.put(key, fields);
                } else {
                    addIfRead(byType, key, types.get(i));
                }
            }
            if (!asked.isEmpty()) {
                source.flush();
                for (int i = 0; i < unknown.size(); i++) {
                    addIfRead(byType, unknown.get(i), source.await(asked.get(i)));
                }
            }
            if (byType.isEmpty() && dumpedHashes.isEmpty()) {
                return Page.NONE;
            }
            Map<RedisType, List<StoredDocument>> documents = new EnumMap<>(RedisType.class);
            byType.forEach((type, named) ->
                    documents.put(type, new ArrayList<>(readers.get(type).load(source, named))));
            dumpedHashes.forEach((key, fields) -> documents
                    .computeIfAbsent(RedisType.HASH, any -> new ArrayList<>())
                    .add(new StoredHash(key, fields.names(), fields.values(), true)));
            return new Page(documents, dumpedHashes);
        }

        /**
         * Works out what each migration makes of a page's documents, in plan order: outside the read's retries, so
         * that a page read twice is counted, and its rejections spent from the error budget, once.
         */
        public void convert(Page page) {
            if (page.documents.isEmpty()) {
                return;
            }
            List<List<PageChanges>> changes = new ArrayList<>(steps.size());
            for (Step step : steps) {
                changes.add(new ArrayList<>());
            }
            for (Map.Entry<RedisType, List<StoredDocument>> typed : page.documents.entrySet()) {
                List<List<PendingWrite>> writes = new ArrayList<>(steps.size());
                List<List<SkipEntry>> skips = new ArrayList<>(steps.size());
                for (Step step : steps) {
                    writes.add(new ArrayList<>());
                    skips.add(new ArrayList<>());
                }
                for (StoredDocument stored : typed.getValue()) {
                    convert(page, typed.getKey(), stored, writes, skips);
                }
                for (int s = 0; s < steps.size(); s++) {
                    if (!writes.get(s).isEmpty() || !skips.get(s).isEmpty()) {
                        changes.get(s).add(new PageChanges(writes.get(s), skips.get(s)));
                    }
                }
            }
            page.changes = changes;
        }

        private boolean selectedByName(byte[] key) {
            for (Step step : steps) {
                if (step.selects.test(key)) {
                    return true;
                }
            }
            return false;
        }

        /** Adds {@code key} to the keys read as documents of its type, when some migration reads that type. */
        private void addIfRead(Map<RedisType, List<byte[]>> byType, byte[] key, String type) {
            for (RedisType documentType : readers.keySet()) {
                if (documentType.redisName().equals(type)) {
                    byType.computeIfAbsent(documentType, any -> new ArrayList<>())
                            .add(key);
                }
            }
        }

        /**
         * One document through every migration that selects it, in plan order. Read whole when several select it, or
         * from its payload: each is then shown it as its own walk would read it, as the migrations before it left it
         * ({@link DocumentChain}). A hash read from its payload and changed is rebuilt whole ({@link #rebuild}).
         */
        private void convert(
                Page page,
                RedisType type,
                StoredDocument stored,
                List<List<PendingWrite>> writes,
                List<List<SkipEntry>> skips) {
            List<Integer> selecting = new ArrayList<>(steps.size());
            for (int s = 0; s < steps.size(); s++) {
                if (steps.get(s).processors.containsKey(type)
                        && steps.get(s).selects.test(stored.key())) {
                    selecting.add(s);
                }
            }
            HashPayload dumped = page.dumpedHashes.get(stored.key());
            DocumentChain chain = null;
            if (selecting.size() > 1 || dumped != null) {
                try {
                    chain = DocumentChain.of(stored);
                } catch (DocumentRejectedException unreadable) {
                    // A JSON document that is not UTF-8: none of them can read it, as none of their walks could.
                    for (int s : selecting) {
                        steps.get(s).progress.read(1, false);
                        skips.get(s).add(steps.get(s).processors.get(type).reject(unreadable));
                    }
                    return;
                }
            }
            Map<Integer, PendingWrite> made = new LinkedHashMap<>();
            for (int s : selecting) {
                Step step = steps.get(s);
                PageProcessor processor = step.processors.get(type);
                step.progress.read(1, false);
                PendingWrite write;
                try {
                    write = processor.changeOf(chain == null ? stored : chain.asRead(step.migration.fieldsRead()));
                } catch (DocumentRejectedException rejected) {
                    skips.get(s).add(processor.reject(rejected));
                    continue;
                }
                if (write == null) {
                    step.progress.unchanged(1);
                    continue;
                }
                made.put(s, write);
                if (write.change().deletesKey()) {
                    break; // the migrations after it find it gone, as their walks would not find it
                }
                if (chain != null) {
                    chain.apply(write.change());
                }
            }
            if (dumped != null && rebuild(page, dumped, chain, made.values())) {
                made.keySet().forEach(s -> steps.get(s).progress.changed(1));
            } else {
                made.forEach((s, write) -> writes.get(s).add(write));
            }
        }

        /**
         * Rebuilds a hash read from its payload as the migrations left it, to restore it so: one {@code RESTORE} on
         * the target and no write after it. Not when a migration deletes it or changes a field's expiry, which a
         * payload of type 4 cannot hold, nor when no field is left (Redis holds no empty hash): those are written as
         * any conversion is.
         *
         * @return whether it was rebuilt
         */
        private static boolean rebuild(
                Page page, HashPayload dumped, DocumentChain chain, Collection<PendingWrite> made) {
            if (made.isEmpty()
                    || made.stream()
                            .anyMatch(write -> write.change().deletesKey()
                                    || write.change().asksFieldExpiry())) {
                return false;
            }
            StoredHash converted = (StoredHash) chain.whole();
            if (converted.fieldNames().length == 0) {
                return false;
            }
            page.rebuilt.put(
                    converted.key(),
                    new HashPayload(converted.fieldNames(), converted.values(), dumped.rdbVersion()).write());
            return true;
        }

        /**
         * Writes a page's changes on the target, migration by migration in plan order, once its keys are restored. On
         * a cluster, each master's share goes as that master's batches (one script call over its slots, as a walk of
         * it sends), not as one call per slot.
         */
        public void write(Page page) {
            for (int s = 0; s < page.changes.size(); s++) {
                Step step = steps.get(s);
                for (PageChanges changes : page.changes.get(s)) {
                    Map<String, List<PendingWrite>> byMaster = new LinkedHashMap<>();
                    RedisType type = null;
                    for (PendingWrite write : changes.writes()) {
                        type = write.before().isJson() ? RedisType.JSON : RedisType.HASH;
                        byMaster.computeIfAbsent(masterOf(write.stored().key()), any -> new ArrayList<>())
                                .add(write);
                    }
                    List<SkipEntry> skips = changes.skips();
                    for (Map.Entry<String, List<PendingWrite>> share : byMaster.entrySet()) {
                        step.writer(share.getKey(), type)
                                .write(new Chunk<>(List.of(new PageChanges(share.getValue(), skips))));
                        skips = List.of();
                    }
                    if (!skips.isEmpty()) {
                        step.writer("", step.processors.keySet().iterator().next())
                                .write(new Chunk<>(List.of(new PageChanges(List.of(), skips))));
                    }
                }
            }
        }

        /** The node id of the target master that serves {@code key}'s slot; empty for a single server. */
        private String masterOf(byte[] key) {
            if (!target.redis().isCluster()) {
                return "";
            }
            if (masterOfSlot == null) {
                masterOfSlot = new String[SlotSet.SLOTS];
                Topology topology = target.redis()
                        .call(
                                "read the target's topology",
                                commands -> target.redis().topology());
                for (Topology.Master master : topology.masters()) {
                    for (int[] range : master.slots()) {
                        for (int slot = range[0]; slot <= range[1]; slot++) {
                            masterOfSlot[slot] = master.nodeId();
                        }
                    }
                }
            }
            // A slot moved since goes as the write script's own fallback sends it: refused whole by that master,
            // then one call per slot, routed and redirected.
            String node = masterOfSlot[SlotHash.getSlot(key)];
            return node == null ? "" : node;
        }

        /** What each migration counted in this slice so far, saved with the copy's checkpoint. */
        public void checkpointTo(ExecutionContext context) {
            for (Step step : steps) {
                DocumentCounts counts = step.earlier.plus(step.progress.counts());
                context.putString(
                        COUNTS + step.migration.id(),
                        counts.read() + "," + counts.changed() + "," + counts.unchanged() + "," + counts.skipped() + ","
                                + counts.conflict() + "," + counts.gone());
            }
        }

        @Override
        public void close() {
            steps.forEach(step -> step.sessions.values().forEach(PartitionSession::close));
        }
    }

    /**
     * One migration's part in a slice: its selector, its counts, its processor per document type, and, per target
     * master it wrote to (one for a single server), its own connection and writers.
     */
    private final class Step {

        final DataMigration migration;
        final Predicate<byte[]> selects;
        final PartitionProgress progress = new PartitionProgress();
        final DocumentCounts earlier;
        final String sliceName;
        final Map<RedisType, PageProcessor> processors = new EnumMap<>(RedisType.class);
        final Map<String, PartitionSession> sessions = new HashMap<>();
        final Map<String, PageWriter> writers = new HashMap<>();

        Step(DataMigration migration, String sliceName, DocumentCounts earlier) {
            this.migration = migration;
            this.earlier = earlier;
            this.sliceName = sliceName;
            this.selects = KeyPattern.anyOf(migration.keys().patterns());
            for (RedisType type :
                    DocumentStore.typesOn(target.redis(), migration.keys()).types()) {
                processors.put(
                        type,
                        new PageProcessor(
                                migration::up,
                                new RejectionPolicy(
                                        migration.id(), target.settings().failureMode(), target.budget()),
                                progress));
            }
        }

        /** The writer of this migration's documents of {@code type} on the target master {@code node}. */
        PageWriter writer(String node, RedisType type) {
            return writers.computeIfAbsent(node + " " + type, any -> {
                PartitionSession session = sessions.computeIfAbsent(
                        node,
                        id -> new PartitionSession(sliceName + " " + migration.id(), id, target.redis(), progress));
                DataStepSettings settings = target.settings();
                DocumentStore store = DocumentStore.of(migration, type, session::knowsCommand);
                return new PageWriter(
                        session,
                        store,
                        processors.get(type),
                        new WriteScript(store, WriteMode.OVERWRITE, counter(migration)),
                        new SkippedKeyLog(migration.id(), settings.skipLogCapacity()),
                        settings.chunkSize(),
                        target::checkMayContinue);
            });
        }
    }
}
