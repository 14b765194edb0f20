package dev.redisombatch.batch.data;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.RedisType;
import dev.redisombatch.migration.Change;
import io.lettuce.core.RedisFuture;
import java.util.List;

/**
 * How the documents of one Redis type are read and written: a page of keys loaded in one pipeline, and the writes of
 * changed documents, either conditional (one Lua script per batch that writes a document only if what was read is
 * still there) or blind.
 */
interface DocumentStore {

    /** The store for a migration's documents. */
    static DocumentStore of(DataMigration migration) {
        if (migration.keys().type() != RedisType.HASH) {
            throw RedisOmBatchException.plan(migration.id() + ": " + migration.keys().type().redisName()
                    + " documents cannot be migrated yet; only hashes");
        }
        return new HashStore(migration.fieldsRead());
    }

    /** The type name SCAN ... TYPE filters on. */
    String scanType();

    /** The documents behind {@code keys}, in one pipeline; keys gone or of another type since SCAN are left out. */
    List<StoredDocument> load(PipelinedConnection connection, List<byte[]> keys);

    /** The conditional write script's source. */
    String conditionalScript();

    /** Appends what the conditional write script needs for one document: the state read and the change. */
    void encodeConditional(StoredDocument document, Change change, List<byte[]> arguments);

    /** Queues the blind writes of one change (no condition); the futures settle after a flush. */
    void queueOverwrite(PipelinedConnection connection, StoredDocument document, Change change,
            List<RedisFuture<?>> replies);
}
