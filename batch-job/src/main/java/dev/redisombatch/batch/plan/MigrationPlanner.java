package dev.redisombatch.batch.plan;

import dev.redisombatch.migration.DataMigration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * Orders migrations: dependencies first, and by id where dependencies leave a choice (Kahn's algorithm with the ready
 * set kept sorted), so two runs over the same migrations always agree on the order.
 */
public final class MigrationPlanner {

    private MigrationPlanner() {}

    /**
     * @param known every migration found, by id
     * @param applied ids in {@code redis_om:applied_migrations}; a dependency on one of them is satisfied even when
     *        its code is no longer around
     * @return the pending migrations in the order to run them
     * @throws PlanException for an unknown dependency or a cycle, naming the ids
     */
    public static List<DataMigration> pending(Map<String, DataMigration> known, Set<String> applied) {
        Map<String, Integer> unmetDependencies = new HashMap<>();
        Map<String, List<String>> dependants = new HashMap<>();
        for (DataMigration migration : known.values()) {
            int unmet = 0;
            for (String dependency : migration.dependencies()) {
                if (known.containsKey(dependency)) {
                    unmet++;
                    dependants
                            .computeIfAbsent(dependency, id -> new ArrayList<>())
                            .add(migration.id());
                } else if (!applied.contains(dependency)) {
                    throw new PlanException("migration " + migration.id() + " depends on " + dependency
                            + ", which is neither known nor applied");
                }
            }
            unmetDependencies.put(migration.id(), unmet);
        }
        PriorityQueue<String> ready = new PriorityQueue<>();
        unmetDependencies.forEach((id, unmet) -> {
            if (unmet == 0) {
                ready.add(id);
            }
        });
        List<DataMigration> ordered = new ArrayList<>(known.size());
        while (!ready.isEmpty()) {
            String id = ready.poll();
            ordered.add(known.get(id));
            for (String dependant : dependants.getOrDefault(id, List.of())) {
                if (unmetDependencies.merge(dependant, -1, Integer::sum) == 0) {
                    ready.add(dependant);
                }
            }
        }
        if (ordered.size() < known.size()) {
            throw new PlanException("dependency cycle among migrations "
                    + String.join(", ", cycleMembers(unmetDependencies, dependants)));
        }
        return ordered.stream()
                .filter(migration -> !applied.contains(migration.id()))
                .toList();
    }

    /**
     * The ids left over by Kahn's algorithm are the cycles plus whatever depends on them; peeling off, again and
     * again, those that nothing left over depends on leaves the cycles alone.
     */
    private static Set<String> cycleMembers(
            Map<String, Integer> unmetDependencies, Map<String, List<String>> dependants) {
        Set<String> left = new TreeSet<>();
        unmetDependencies.forEach((id, unmet) -> {
            if (unmet > 0) {
                left.add(id);
            }
        });
        boolean peeled = true;
        while (peeled) {
            peeled = left.removeIf(
                    id -> dependants.getOrDefault(id, List.of()).stream().noneMatch(left::contains));
        }
        return left;
    }

    /** Ids of {@code migration}'s dependencies that are not applied yet. */
    public static List<String> unappliedDependencies(DataMigration migration, Collection<String> applied) {
        return migration.dependencies().stream()
                .filter(dependency -> !applied.contains(dependency))
                .toList();
    }
}
