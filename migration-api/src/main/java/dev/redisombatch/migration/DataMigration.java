package dev.redisombatch.migration;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A data migration, described one record at a time; the engine owns iteration, batching, parallelism and restart.
 *
 * <p>Mirrors Redis OM Python's {@code BaseMigration} ({@code migration_id}, {@code description}, {@code dependencies},
 * {@code up}, {@code down}, {@code can_run}). Register implementations for {@link java.util.ServiceLoader} in
 * {@code META-INF/services/dev.redisombatch.migration.DataMigration}; they need a public no-argument constructor.
 *
 * <p>Delivery is at least once: after a crash, up to one page of keys per partition is transformed again, and SCAN may
 * return a key twice. A transform must therefore be idempotent: {@code up(up(x)) == up(x)}. {@link MigrationTester}
 * checks that on sample documents.
 */
public interface DataMigration {

    /** Unique id; recorded in {@code redis_om:applied_migrations}. Ids sort the plan where dependencies leave a choice. */
    String id();

    default String description() {
        return "";
    }

    /** Ids of migrations that must be applied before this one. */
    default List<String> dependencies() {
        return List.of();
    }

    /** Which keys to visit. */
    KeySelector keys();

    /**
     * The fields the transform reads; the engine fetches only these ({@code HMGET}) instead of whole documents
     * ({@code HGETALL}). Empty, the default, means every field. For JSON documents these are paths
     * ({@code created_at}, {@code address.since}); the document is read whole and the transform sees the top-level
     * members the paths start from.
     */
    default Set<String> fieldsRead() {
        return Set.of();
    }

    /** Transforms one document into its new state. */
    Change up(Document document) throws DataMigrationException;

    /** The reverse transform, if the migration can be rolled back. */
    default Optional<Transform> down() {
        return Optional.empty();
    }

    /** Checked before the run; a migration that cannot run is skipped, reported, and stays pending. */
    default boolean canRun() {
        return true;
    }

    /**
     * Whether the migration is done when its keys match nothing at all. By default it is not: a run that finds no key
     * leaves it pending (a Redis not loaded yet, a wrong pattern or database), so that it runs once the data is
     * there. Say true for a migration that has nothing to do on an empty keyspace (a clean-up, say).
     */
    default boolean mayMatchNothing() {
        return false;
    }
}
