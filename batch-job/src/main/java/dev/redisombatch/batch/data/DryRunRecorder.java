package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.PartitionProgress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/** Stands in for the writer in a dry run: writes nothing, counts, and keeps the first few changes as examples. */
public final class DryRunRecorder implements ItemWriter<DocumentChange> {

    private final List<DocumentChange> examples;
    private final int maxExamples;
    private final PartitionProgress progress;

    public DryRunRecorder(List<DocumentChange> sharedExamples, int maxExamples, PartitionProgress progress) {
        this.examples = sharedExamples;
        this.maxExamples = maxExamples;
        this.progress = progress;
    }

    public static List<DocumentChange> newExampleList() {
        return new CopyOnWriteArrayList<>();
    }

    @Override
    public void write(Chunk<? extends DocumentChange> chunk) {
        progress.addChanged(chunk.size());
        for (DocumentChange change : chunk) {
            if (examples.size() >= maxExamples) {
                return;
            }
            examples.add(change);
        }
    }
}
