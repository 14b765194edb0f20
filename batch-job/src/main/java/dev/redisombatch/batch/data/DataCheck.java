package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Runs a migration's transform over its keys without writing, to see whether the data is what the migration makes
 * of it: the documents it would still change and those it rejects. One pass over the whole keyspace (one slice), the
 * same reader the migration itself uses, stopping after {@code sample} documents per pattern.
 */
public final class DataCheck {

    private DataCheck() {
    }

    /** What a check found; {@code examples} names a few keys of either kind. */
    public record Result(long documents, long wouldChange, long rejected, List<String> examples) {

        public boolean clean() {
            return wouldChange == 0 && rejected == 0;
        }
    }

    public static Result run(DataMigration migration, RedisEndpoint redis, int scanCount, long sample) {
        DocumentSource source = new DocumentSource(migration.keys().type(), migration.fieldsRead());
        MigrationProcessor processor = new MigrationProcessor(migration::up);
        long documents = 0;
        long wouldChange = 0;
        long rejected = 0;
        List<String> examples = new ArrayList<>();
        try (PipelinedConnection connection = redis.openPipelined()) {
            for (String pattern : migration.keys().patterns()) {
                ScanSliceReader reader = new ScanSliceReader("verify " + migration.id(), pattern, new ScanSlice(0, 0),
                        scanCount, 0, source, () -> connection, redis.transientFaults(), new PartitionProgress(),
                        () -> { });
                reader.open(new ExecutionContext());
                for (long read = 0; read < sample; read++) {
                    Document document = reader.read();
                    if (document == null) {
                        break;
                    }
                    documents++;
                    try {
                        if (processor.process(document) == null) {
                            continue;
                        }
                        wouldChange++;
                    } catch (DocumentRejectedException e) {
                        rejected++;
                    }
                    if (examples.size() < 5) {
                        examples.add(document.key());
                    }
                }
            }
        }
        return new Result(documents, wouldChange, rejected, examples);
    }
}
