package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.partition.ScanSlice;
import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.store.DocumentStore;
import dev.redisombatch.batch.data.store.PendingWrite;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.results.DataCheckFindings;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Runs a migration's transform over its keys without writing, to see whether the data is what the migration makes
 * of it: the documents it would still change and those it rejects. One pass over each server's keyspace (the single
 * server, or every cluster master) with the same reader and processor the migration itself uses, stopping after
 * {@code sample} documents per pattern and server.
 */
public final class DataCheck {

    private static final int MAX_EXAMPLES = 5;

    private final DataMigration migration;
    private final RedisEndpoint redis;
    private final int scanCount;
    private final long sample;
    private final PageProcessor processor;
    private final PartitionProgress progress = new PartitionProgress();
    private final List<String> examples = new ArrayList<>();
    private long documents;
    private long wouldChange;
    private long rejected;

    private DataCheck(DataMigration migration, RedisEndpoint redis, int scanCount, long sample) {
        this.migration = migration;
        this.redis = redis;
        this.scanCount = scanCount;
        this.sample = sample;
        this.processor = new PageProcessor(migration::up, RejectionPolicy.countOnly(migration.id()), progress);
    }

    public static DataCheckFindings run(DataMigration migration, RedisEndpoint redis, int scanCount, long sample) {
        return new DataCheck(migration, redis, scanCount, sample).run();
    }

    private DataCheckFindings run() {
        for (Topology.Master master : redis.transientFaults()
                .call("read the topology", redis::topology)
                .masters()) {
            try (PartitionSession session =
                    new PartitionSession("verify " + migration.id(), master.nodeId(), redis, progress)) {
                KeySelector keys = DocumentStore.typesOn(redis, migration.keys());
                for (String pattern : keys.patterns()) {
                    for (RedisType type : keys.types()) {
                        check(session, pattern, type);
                    }
                }
            }
        }
        return new DataCheckFindings(migration.id(), documents, wouldChange, rejected, List.copyOf(examples));
    }

    private void check(PartitionSession session, String pattern, RedisType type) {
        PageReader reader =
                new PageReader(session, DocumentStore.of(migration, type, session::knowsCommand), scanCount, () -> {});
        ExecutionContext context = new ExecutionContext();
        SliceCheckpoint.start(pattern, type, session.node(), new ScanSlice(0, 0), 0, SlotSet.ALL)
                .writeTo(context);
        reader.open(context);
        long seen = 0;
        DocumentPage page;
        while (seen < sample && (page = reader.read()) != null) {
            List<StoredDocument> wanted =
                    page.documents().subList(0, (int) Math.min(page.documents().size(), sample - seen));
            seen += wanted.size();
            PageChanges changes = processor.process(new DocumentPage(wanted, false));
            List<PendingWrite> valueChanges = changes.writes().stream()
                    .filter(write -> changesValues(write.change()))
                    .toList();
            wouldChange += valueChanges.size();
            rejected += changes.skips().size();
            valueChanges.forEach(write -> example(write.stored().printableKey()));
            changes.skips().forEach(skip -> example(skip.printableKey()));
        }
        documents += seen;
    }

    /**
     * Whether a change alters values, not only field expiry times: those a check cannot see (Redis does not return
     * TTLs with the fields, and the write is what compares them), so an expiry asked again is not work left undone.
     */
    private static boolean changesValues(Change change) {
        return change.deletesKey()
                || !change.fieldsToSet().isEmpty()
                || !change.fieldsToRemove().isEmpty();
    }

    private void example(String key) {
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(key);
        }
    }
}
