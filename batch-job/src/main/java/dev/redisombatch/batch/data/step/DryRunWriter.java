package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.DocumentStore;
import dev.redisombatch.batch.data.store.PendingWrite;
import dev.redisombatch.batch.results.ChangeExample;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Document;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Stands in for the writer in a dry run: writes nothing at all to Redis (not the documents, not the skip log),
 * counts what would change and keeps the first few changes as examples.
 */
final class DryRunWriter implements ItemWriter<PageChanges> {

    static final int MAX_EXAMPLES = 5;

    private final PartitionSession session;
    private final DocumentStore store;
    private final String migrationId;
    private final List<ChangeExample> examples;

    DryRunWriter(
            PartitionSession session, DocumentStore store, String migrationId, List<ChangeExample> sharedExamples) {
        this.session = session;
        this.store = store;
        this.migrationId = migrationId;
        this.examples = sharedExamples;
    }

    static List<ChangeExample> newExampleList() {
        return new CopyOnWriteArrayList<>();
    }

    @Override
    public void write(Chunk<? extends PageChanges> chunk) {
        // What the run would refuse, the dry run refuses too; a field expiry asked counts as a change (it is not read).
        PageWriter.requireWritable(session, store, migrationId, chunk);
        for (PageChanges page : chunk) {
            session.progress().changed(page.writes().size());
            synchronized (examples) {
                for (PendingWrite write : page.writes()) {
                    if (examples.size() >= MAX_EXAMPLES) {
                        break;
                    }
                    examples.add(example(write));
                }
            }
        }
    }

    private static ChangeExample example(PendingWrite write) {
        Change change = write.change();
        Document after = change.applyTo(write.before());
        return new ChangeExample(
                write.stored().printableKey(),
                write.before().fields(),
                after == null ? null : after.fields(),
                fieldExpiryOf(change));
    }

    /** The change's field expiry asks alone, as {@link Change#toString()} writes them; empty when none. */
    private static String fieldExpiryOf(Change change) {
        if (!change.asksFieldExpiry()) {
            return "";
        }
        Change.Builder asks = Change.builder();
        change.fieldExpiryTimes().forEach(asks::expireAt);
        change.fieldsToPersist().forEach(asks::persist);
        return asks.build().toString();
    }
}
