package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.PendingWrite;
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
    private final List<ChangeExample> examples;

    DryRunWriter(PartitionSession session, List<ChangeExample> sharedExamples) {
        this.session = session;
        this.examples = sharedExamples;
    }

    static List<ChangeExample> newExampleList() {
        return new CopyOnWriteArrayList<>();
    }

    @Override
    public void write(Chunk<? extends PageChanges> chunk) {
        for (PageChanges page : chunk) {
            session.progress().changed(page.writes().size());
            synchronized (examples) {
                for (PendingWrite write : page.writes()) {
                    if (examples.size() >= MAX_EXAMPLES) {
                        break;
                    }
                    examples.add(ChangeExample.of(write));
                }
            }
        }
    }
}
