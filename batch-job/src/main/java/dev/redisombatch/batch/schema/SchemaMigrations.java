package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.batch.state.MigrationKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The schema (index) migrations under a migrations folder, on one Redis: what every schema command works on. The
 * commands are {@link SchemaApplyCommand} (the pending ones), {@link SchemaRollbackCommand} (one),
 * {@link SchemaStatusCommand} (their state and the indexes' drift) and {@link SchemaCreateCommand} (new migrations from
 * the desired definitions, {@link DesiredDefinitions}: {@code models/} or a reference Redis).
 */
public final class SchemaMigrations {

    private final SchemaSettings settings;
    private final Path root;
    private final RedisEndpoint redis;
    private final AppliedState applied;
    private final IndexKeys indexKeys;
    private final StopSignal stop;
    private final Duration progressInterval;

    /**
     * @param root the migrations folder, holding {@code schema-migrations/} and {@code models/}
     * @param progressInterval how often a long index build logs its progress
     */
    public SchemaMigrations(
            SchemaSettings settings, Path root, RedisEndpoint redis, StopSignal stop, Duration progressInterval) {
        this.settings = settings;
        this.root = root;
        this.redis = redis;
        this.applied = new AppliedState(redis, MigrationKind.SCHEMA);
        this.indexKeys = new IndexKeys(redis);
        this.stop = stop;
        this.progressInterval = progressInterval;
    }

    /** Whether the folder holds any schema migration at all (a Redis without search then needs none). */
    public boolean any() {
        return !SchemaFiles.migrations(root).isEmpty();
    }

    /** The ids of the pending migrations, in the order they apply: what a run would do, for showing it first. */
    public List<String> pendingIds() {
        return plan().pending().stream().map(SchemaMigrationFile::id).toList();
    }

    /** {@link #pendingIds}, less those applied elsewhere ({@code applied}): what a run would apply once it took those. */
    public List<String> pendingIdsBesides(Set<String> applied) {
        return pendingIds().stream().filter(id -> !applied.contains(id)).toList();
    }

    /** Whether this Redis answers FT.* commands (a search module is loaded, or built in). */
    public boolean searchAvailable() {
        try (SearchCommands search = openSearch()) {
            search.indexNames();
            return true;
        } catch (SearchModuleMissingException missing) {
            return false;
        }
    }

    /** The files against what Redis says is applied, read afresh. */
    SchemaPlan plan() {
        return SchemaPlan.read(root, applied);
    }

    SearchCommands openSearch() {
        return new SearchCommands(redis);
    }

    SchemaSettings settings() {
        return settings;
    }

    /** The migrations folder, holding {@code schema-migrations/} and {@code models/}. */
    Path root() {
        return root;
    }

    Path migrationsFolder() {
        return root.resolve(SchemaFiles.MIGRATIONS_FOLDER);
    }

    RedisEndpoint redis() {
        return redis;
    }

    AppliedState applied() {
        return applied;
    }

    IndexKeys indexKeys() {
        return indexKeys;
    }

    StopSignal stop() {
        return stop;
    }

    Duration progressInterval() {
        return progressInterval;
    }
}
