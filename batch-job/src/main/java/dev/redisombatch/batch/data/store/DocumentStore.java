package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.LuaSources;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How the documents of one Redis type are read and written: a page of keys loaded in one pipeline, and the writes of
 * changed documents as one Lua script call per batch, which writes a document only if what was read is still there
 * (or, in {@link WriteMode#OVERWRITE}, blindly).
 */
public interface DocumentStore {

    /**
     * The store for a migration's documents of one type.
     *
     * @param serverKnows whether the server the documents are written on knows a command, asked inside the caller's
     *        retry (a partition session's)
     */
    static DocumentStore of(DataMigration migration, RedisType type, Predicate<String> serverKnows) {
        return switch (type) {
            case HASH -> HashStore.on(serverKnows, migration.fieldsRead());
            case JSON -> new JsonStore(migration.fieldsRead());
            default ->
                throw RedisOmBatchException.plan(migration.id() + ": " + type.redisName()
                        + " keys cannot be migrated; only hashes and JSON documents");
        };
    }

    /**
     * The store for whole documents of one type (hashes or JSON documents), every field or member read, as a migration
     * reading every field has it: what a comparison of a document on two servers reads.
     */
    static DocumentStore wholeDocuments(RedisType type) {
        return switch (type) {
            case HASH -> new HashStore(Set.of());
            case JSON -> new JsonStore(Set.of());
            default -> throw new IllegalArgumentException(type.redisName() + " keys are not documents");
        };
    }

    /**
     * The selector without the types {@code redis} cannot hold: JSON documents need the RedisJSON module. Each type is
     * a walk of the whole keyspace (SCAN ... TYPE), the largest part of the server's work on a run; a migration of
     * hashes and JSON documents alike walks once, not twice, where no JSON can be.
     */
    static KeySelector typesOn(RedisEndpoint redis, KeySelector keys) {
        if (keys.types().size() == 1 || !keys.types().contains(RedisType.JSON) || redis.knowsCommand("JSON.GET")) {
            return keys;
        }
        return new KeySelector(
                keys.patterns(),
                keys.types().stream().filter(type -> type != RedisType.JSON).toList());
    }

    /** The type name SCAN ... TYPE filters on. */
    String scanType();

    /**
     * Whether SCAN may leave out its TYPE filter: it costs the server a lookup of every key it returns (about a third
     * of a microsecond per key, some 5% of a conditional run's server CPU), which a store can spare when its reads
     * answer a key of another type as absent, the server's refusal (WRONGTYPE) costing no more than the lookup.
     */
    default boolean scansWithoutTypeFilter() {
        return false;
    }

    /**
     * The documents behind {@code keys} SCAN returned on the partition's server, read there in one pipeline; keys gone
     * or of another type since SCAN are left out.
     */
    default List<StoredDocument> load(PipelinedConnection connection, List<byte[]> keys) {
        return load(connection, connection.reads(), keys);
    }

    /**
     * The same, read with {@code commands}: {@link PipelinedConnection#writes()} to read documents from where a write
     * of them goes, which in a cluster follows a failover or a slot that moved.
     */
    List<StoredDocument> load(
            PipelinedConnection connection, RedisClusterAsyncCommands<byte[], byte[]> commands, List<byte[]> keys);

    /** The write script's source. */
    String writeScript();

    /**
     * Why this server cannot make {@code change} as the migration asks (one line), or null when it can. The writers ask
     * it for every document of a chunk before any is written, inside their retry (the answer may come from the server).
     */
    default String cannotWrite(Change change) {
        return null;
    }

    /**
     * Appends what the write script needs for one document: the change, and in {@link WriteMode#CONDITIONAL} the
     * state read, which must still hold; for a write that restores its key first ({@link PendingWrite#restore()},
     * hashes only), the key to restore, the change then written blindly over it.
     */
    void encodeWrite(PendingWrite write, WriteMode mode, List<byte[]> arguments);

    /** A write script, from beside this class. */
    static String script(String name) {
        return LuaSources.load(DocumentStore.class, name);
    }
}
