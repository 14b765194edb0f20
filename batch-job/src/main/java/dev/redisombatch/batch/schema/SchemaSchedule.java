package dev.redisombatch.batch.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which pending schema migrations may run now. One waits while a data migration it names in {@code after:} is not
 * applied; so does every later migration of the same index, since each starts from the definition the one before it
 * gives. Migrations of other indexes do not wait for it. Pending migrations stay in id order.
 */
final class SchemaSchedule {

    private final List<SchemaMigrationFile> pending;
    private final Set<String> dataApplied;

    /**
     * @param pending the pending schema migrations, in id order
     * @param dataApplied ids of the data migrations applied so far
     */
    SchemaSchedule(List<SchemaMigrationFile> pending, Set<String> dataApplied) {
        this.pending = new ArrayList<>(pending);
        this.dataApplied = new HashSet<>(dataApplied);
    }

    /** The pending migrations that wait for nothing, in id order. */
    List<SchemaMigrationFile> ready() {
        Map<String, String> waiting = reasonsToWait();
        return pending.stream()
                .filter(migration -> !waiting.containsKey(migration.id()))
                .toList();
    }

    /** Each pending migration that waits, as {@code id: waits for ...}, in id order. */
    List<String> waiting() {
        Map<String, String> waiting = reasonsToWait();
        return pending.stream()
                .filter(migration -> waiting.containsKey(migration.id()))
                .map(migration -> migration.id() + ": " + waiting.get(migration.id()))
                .toList();
    }

    /** The data migration {@code id} is applied now (or would be, in a dry run). */
    void dataApplied(String id) {
        dataApplied.add(id);
    }

    /** The schema migration ran (or was shown, in a dry run): it is no longer pending. */
    void done(SchemaMigrationFile migration) {
        pending.remove(migration);
    }

    int pendingCount() {
        return pending.size();
    }

    private Map<String, String> reasonsToWait() {
        Map<String, String> reasons = new HashMap<>();
        Map<String, String> firstWaitingPerIndex = new HashMap<>();
        for (SchemaMigrationFile migration : pending) {
            String earlier = firstWaitingPerIndex.get(migration.index());
            List<String> unapplied = migration.after().stream()
                    .filter(id -> !dataApplied.contains(id))
                    .toList();
            if (earlier != null) {
                reasons.put(
                        migration.id(),
                        "waits for " + earlier + ", an earlier migration of index " + migration.index());
            } else if (!unapplied.isEmpty()) {
                reasons.put(
                        migration.id(),
                        "waits for data migration" + (unapplied.size() > 1 ? "s " : " ")
                                + String.join(", ", unapplied) + " (after: in "
                                + migration.source().getFileName()
                                + "), not applied");
            } else {
                continue;
            }
            firstWaitingPerIndex.putIfAbsent(migration.index(), migration.id());
        }
        return reasons;
    }
}
