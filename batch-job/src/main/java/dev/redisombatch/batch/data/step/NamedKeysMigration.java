package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.ChangedCounter;
import dev.redisombatch.batch.data.store.DocumentStore;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.data.store.WriteScript;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.KeyPattern;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * An applied migration's {@code up} over keys the caller names (the keys a followed source changed) rather than keys
 * SCAN finds: those the migration selects, by its patterns (matched here as SCAN matches them) and types, are read,
 * transformed and written with the same store, processor and conditional write script as a walk, and counted under
 * the follow's own field of the migration's changed counter.
 */
public final class NamedKeysMigration implements AutoCloseable {

    private final Predicate<byte[]> selects;
    private final PartitionProgress progress = new PartitionProgress();
    private final PartitionSession session;
    private final List<Writing> types = new ArrayList<>();

    /** @param followStartedMillis when the follow began, naming its field of the changed counter */
    public NamedKeysMigration(DataMigration migration, DataRunContext context, long followStartedMillis) {
        RedisEndpoint redis = context.redis();
        DataStepSettings settings = context.settings();
        KeySelector keys = DocumentStore.typesOn(redis, migration.keys());
        this.selects = KeyPattern.anyOf(keys.patterns());
        this.session = new PartitionSession("follow " + migration.id(), "", redis, progress);
        ChangedCounter counter =
                ChangedCounter.ofFollow(migration.id(), followStartedMillis, redis.groupsWritesBySlot());
        for (RedisType type : keys.types()) {
            DocumentStore store = DocumentStore.of(migration, type, session::knowsCommand);
            PageProcessor processor = new PageProcessor(
                    migration::up,
                    new RejectionPolicy(migration.id(), settings.failureMode(), context.budget()),
                    progress);
            PageWriter writer = new PageWriter(
                    session,
                    store,
                    processor,
                    new WriteScript(store, settings.writeMode(), counter),
                    new SkippedKeyLog(migration.id(), settings.skipLogCapacity()),
                    settings.chunkSize(),
                    context::checkMayContinue);
            types.add(new Writing(store, processor, writer));
        }
    }

    private record Writing(DocumentStore store, PageProcessor processor, PageWriter writer) {}

    /** Converts those of {@code keys} the migration selects and that need it. */
    public void apply(List<byte[]> keys) {
        List<byte[]> selected = keys.stream().filter(selects).toList();
        if (selected.isEmpty()) {
            return;
        }
        for (Writing type : types) {
            List<StoredDocument> documents = session.faults()
                    .call(
                            "read " + selected.size() + " documents",
                            () -> type.store().load(session.connection(), selected));
            progress.read(documents.size(), false);
            if (!documents.isEmpty()) {
                PageChanges changes = type.processor().process(new DocumentPage(documents, false));
                type.writer().write(new Chunk<>(List.of(changes)));
            }
        }
    }

    /** Documents read, changed, unchanged, skipped and gone so far. */
    public PartitionProgress progress() {
        return progress;
    }

    @Override
    public void close() {
        session.close();
    }
}
