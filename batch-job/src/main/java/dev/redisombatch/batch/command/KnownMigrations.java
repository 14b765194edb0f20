package dev.redisombatch.batch.command;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.builtin.DatetimeSettings;
import dev.redisombatch.batch.plan.AppliedRecord;
import dev.redisombatch.batch.plan.ConfiguredMigration;
import dev.redisombatch.batch.plan.MigrationCatalog;
import dev.redisombatch.batch.plan.MigrationChecksum;
import dev.redisombatch.batch.plan.MigrationPlanner;
import dev.redisombatch.batch.plan.PlanSettings;
import dev.redisombatch.batch.state.AppliedState;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.KeySelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The data migrations a command works with: every one found (built-ins the options switch on, ServiceLoader on the
 * classpath and in {@code --migrations.jars}), the ids Redis says are applied, and the plan they make together.
 */
record KnownMigrations(Map<String, DataMigration> known, Set<String> applied, List<DataMigration> pending) {

    static KnownMigrations read(PlanSettings plan, DatetimeSettings datetime, AppliedState state) {
        Set<String> applied = state.ids();
        Map<String, DataMigration> known = MigrationCatalog.discover(
                builtIns(datetime, state, applied), plan.jars(), KnownMigrations.class.getClassLoader());
        return new KnownMigrations(known, applied, MigrationPlanner.pending(known, applied));
    }

    /**
     * The datetime migration as the options configure it (under {@code --datetime.id}), and every other applied
     * configuration of it as it was configured when it was applied (its record keeps that), so that status, verify
     * and rewalks need not be given the options again.
     */
    private static List<DataMigration> builtIns(DatetimeSettings datetime, AppliedState state, Set<String> applied) {
        List<DataMigration> builtIns = new ArrayList<>();
        datetime.migration().ifPresent(builtIns::add);
        for (String id : new TreeSet<>(applied)) {
            if (builtIns.stream().noneMatch(builtIn -> builtIn.id().equals(id))) {
                DatetimeFieldsToTimestamps.fromConfiguration(
                                id, AppliedRecord.parse(state.record(id)).configuration())
                        .ifPresent(builtIns::add);
            }
        }
        return builtIns;
    }

    /** Applied migrations whose code or configuration changed since, each with what changed. */
    List<String> editedSinceApplied(AppliedState state) {
        List<String> edited = new ArrayList<>();
        for (String id : applied) {
            String change = changeSinceApplied(id, state);
            if (change != null) {
                edited.add(id + " (" + change + ")");
            }
        }
        return edited;
    }

    /**
     * What changed in an applied migration since it was applied, or null when nothing did (or it is not applied, or
     * its code is not here): its checksum, or, for a built-in, its configuration (its code is the tool's own, which
     * changes with every release of the tool).
     */
    String changeSinceApplied(String id, AppliedState state) {
        DataMigration migration = known.get(id);
        if (migration == null || !applied.contains(id)) {
            return null;
        }
        if (migration instanceof ConfiguredMigration configured) {
            Map<String, String> recorded = AppliedRecord.parse(state.record(id)).configuration();
            return recorded.isEmpty() || recorded.equals(configured.configuration())
                    ? null
                    : "configured " + new TreeMap<>(recorded) + " when applied, "
                            + new TreeMap<>(configured.configuration()) + " now";
        }
        String recorded = state.record(id).get("checksum");
        return recorded == null || MigrationChecksum.matches(migration, recorded)
                ? null
                : "checksum " + recorded.substring(0, 12) + " when applied, "
                        + MigrationChecksum.of(migration).substring(0, 12) + " now";
    }
    /**
     * The applied migrations whose code is here, in the order a plan runs them. One whose code is not here (applied by
     * Redis OM on the source before the copy, say) cannot be replayed; its {@code no code} line says so.
     */
    List<DataMigration> appliedInPlanOrder() {
        Map<String, DataMigration> applied = new LinkedHashMap<>();
        applied().stream().filter(known()::containsKey).forEach(id -> applied.put(id, known().get(id)));
        // The planner leaves out what it is told is applied: told only of those without code, which dependencies may
        // name, it orders every applied one with code.
        Set<String> withoutCode = new HashSet<>(applied());
        withoutCode.removeAll(applied.keySet());
        return MigrationPlanner.pending(applied, withoutCode);
    }

    /** What the data migrations known here select: which keys a copy of the migrated documents only takes. */
    List<KeySelector> selectors() {
        return known().values().stream().map(DataMigration::keys).toList();
    }
}
