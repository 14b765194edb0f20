package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.migration.DataMigration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Runs a migration's transform over its keys without writing, to see whether the data is what the migration makes
 * of it: the documents it would still change and those it rejects. One pass over the whole keyspace (one slice) with
 * the same reader and processor the migration itself uses, stopping after {@code sample} documents per pattern.
 */
public final class DataCheck {

    private DataCheck() {
    }

    /** What a check found; {@code examples} names a few keys of either kind, printable. */
    public record Result(String migrationId, long documents, long wouldChange, long rejected, List<String> examples) {

        public boolean clean() {
            return wouldChange == 0 && rejected == 0;
        }
    }

    public static Result run(DataMigration migration, RedisEndpoint redis, int scanCount, long sample) {
        DocumentStore store = DocumentStore.of(migration);
        PartitionProgress progress = new PartitionProgress();
        PageProcessor processor = new PageProcessor(migration::up, RejectionPolicy.countOnly(migration.id()),
                progress);
        long documents = 0;
        long wouldChange = 0;
        long rejected = 0;
        List<String> examples = new ArrayList<>();
        try (PartitionSession session = new PartitionSession("verify " + migration.id(), redis, progress)) {
            for (String pattern : migration.keys().patterns()) {
                PageReader reader = new PageReader(session, store, scanCount, () -> { });
                ExecutionContext context = new ExecutionContext();
                SliceCheckpoint.start(pattern, new ScanSlice(0, 0), 0).writeTo(context);
                reader.open(context);
                long seen = 0;
                for (DocumentPage page = reader.read(); page != null && seen < sample; page = reader.read()) {
                    List<StoredDocument> wanted = page.documents().subList(0,
                            (int) Math.min(page.documents().size(), sample - seen));
                    seen += wanted.size();
                    PageChanges changes = processor.process(new DocumentPage(wanted, false));
                    wouldChange += changes.writes().size();
                    rejected += changes.skips().size();
                    changes.writes().stream().limit(Math.max(0, 5 - examples.size()))
                            .forEach(write -> examples.add(write.stored().printableKey()));
                    changes.skips().stream().limit(Math.max(0, 5 - examples.size()))
                            .forEach(skip -> examples.add(skip.printableKey()));
                }
                documents += seen;
            }
        }
        return new Result(migration.id(), documents, wouldChange, rejected, examples);
    }
}
