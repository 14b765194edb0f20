package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.state.AppliedState;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The migration files under a root set against what Redis says is applied: which are pending (in id order, as Redis
 * OM applies them), which were edited after they were applied, and what each index should look like now.
 */
public final class SchemaPlan {

    private final List<SchemaMigrationFile> migrations;
    private final Set<String> applied;
    private final Map<String, String> appliedChecksums = new HashMap<>();

    private SchemaPlan(List<SchemaMigrationFile> migrations, AppliedState state) {
        this.migrations = migrations;
        this.applied = state.ids();
        for (SchemaMigrationFile migration : migrations) {
            if (applied.contains(migration.id())) {
                appliedChecksums.put(
                        migration.id(), state.record(migration.id()).get("checksum"));
            }
        }
    }

    /** @throws SchemaFileException for a file that cannot be read */
    public static SchemaPlan read(Path root, AppliedState state) {
        return new SchemaPlan(SchemaFiles.migrations(root), state);
    }

    /** The checksum recorded when {@code migration} was applied; null when there is none of ours. */
    public String appliedChecksum(SchemaMigrationFile migration) {
        return appliedChecksums.get(migration.id());
    }

    public List<SchemaMigrationFile> migrations() {
        return migrations;
    }

    public boolean isApplied(SchemaMigrationFile migration) {
        return applied.contains(migration.id());
    }

    public List<SchemaMigrationFile> pending() {
        return migrations.stream().filter(migration -> !isApplied(migration)).toList();
    }

    /**
     * Applied migrations whose file no longer matches the checksum recorded when they were applied. One applied by
     * Redis OM Python (no record of ours) has nothing to compare with and does not count.
     */
    public List<SchemaMigrationFile> edited() {
        return migrations.stream()
                .filter(this::isApplied)
                .filter(migration -> appliedChecksums.get(migration.id()) != null
                        && !Objects.equals(appliedChecksums.get(migration.id()), migration.checksum()))
                .toList();
    }

    /** Ids marked applied with no file here (applied from another checkout, or by Redis OM Python). */
    public Set<String> appliedWithoutFile() {
        Set<String> unknown = new TreeSet<>(applied);
        migrations.forEach(migration -> unknown.remove(migration.id()));
        return unknown;
    }

    public Optional<SchemaMigrationFile> byId(String id) {
        return migrations.stream()
                .filter(migration -> migration.id().equals(id))
                .findFirst();
    }

    /** The last applied migration of each index: what the index should look like now. */
    public Map<String, SchemaMigrationFile> lastAppliedPerIndex() {
        Map<String, SchemaMigrationFile> last = new TreeMap<>();
        migrations.stream()
                .filter(this::isApplied)
                .sorted(Comparator.comparing(SchemaMigrationFile::id))
                .forEach(migration -> last.put(migration.index(), migration));
        return last;
    }

    /** Applied migrations of the same index that came after {@code migration}: they must be rolled back first. */
    public List<SchemaMigrationFile> appliedLaterOnSameIndex(SchemaMigrationFile migration) {
        return migrations.stream()
                .filter(this::isApplied)
                .filter(other ->
                        other.index().equals(migration.index()) && other.id().compareTo(migration.id()) > 0)
                .toList();
    }
}
