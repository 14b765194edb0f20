package dev.redisombatch.batch.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MigrationPlannerTest {

    private record Migration(String id, List<String> dependencies) implements DataMigration {
        @Override
        public KeySelector keys() {
            return KeySelector.hashes("user:*");
        }

        @Override
        public Change up(Document document) {
            return Change.none();
        }
    }

    /** Migrations by id, from "id" or "id<-dep1,dep2" (a dependant and what it depends on). */
    private static Map<String, DataMigration> known(String... specs) {
        Map<String, DataMigration> byId = new LinkedHashMap<>();
        for (String spec : specs) {
            String[] parts = spec.split("<-");
            List<String> dependencies = parts.length == 1 ? List.of() : List.of(parts[1].split(","));
            byId.put(parts[0], new Migration(parts[0], dependencies));
        }
        return byId;
    }

    private static List<String> plan(Map<String, DataMigration> known, Set<String> applied) {
        return MigrationPlanner.pending(known, applied).stream()
                .map(DataMigration::id)
                .toList();
    }

    @Test
    void ordersByIdWhereDependenciesLeaveAChoice() {
        assertEquals(List.of("a", "b", "c"), plan(known("c", "a", "b"), Set.of()));
    }

    @Test
    void runsDependenciesFirstThenById() {
        assertEquals(List.of("b", "c", "a", "d"), plan(known("a<-c", "b", "c<-b", "d<-a"), Set.of()));
        assertEquals(List.of("a", "c", "b", "d"), plan(known("d<-b,c", "b<-c", "c", "a"), Set.of()));
    }

    @Test
    void leavesOutAppliedMigrations() {
        assertEquals(List.of("c"), plan(known("a", "b<-a", "c<-b"), Set.of("a", "b")));
        assertEquals(List.of(), plan(known("a", "b"), Set.of("a", "b", "z")));
    }

    @Test
    void aDependencyOnAnAppliedMigrationWhoseCodeIsGoneIsMet() {
        assertEquals(List.of("a", "b"), plan(known("b<-a,old", "a<-old"), Set.of("old")));
    }

    @Test
    void anUnknownDependencyNamesBothIds() {
        PlanException e = assertThrows(PlanException.class, () -> plan(known("a", "b<-a,ghost"), Set.of("a")));
        assertTrue(e.getMessage().contains("b depends on ghost"), e.getMessage());
    }

    @Test
    void aCycleIsNamedByItsMembersOnly() {
        PlanException e = assertThrows(
                PlanException.class, () -> plan(known("a", "b<-d", "c<-b", "d<-c", "e<-d", "f<-a"), Set.of()));
        assertEquals("dependency cycle among migrations b, c, d", e.getMessage());
    }

    @Test
    void aMigrationDependingOnItselfIsACycle() {
        PlanException e = assertThrows(PlanException.class, () -> plan(known("a", "self<-self"), Set.of()));
        assertEquals("dependency cycle among migrations self", e.getMessage());
    }

    @Test
    void unappliedDependenciesListsWhatIsStillMissing() {
        DataMigration migration = new Migration("c", List.of("a", "b"));
        assertEquals(List.of("b"), MigrationPlanner.unappliedDependencies(migration, Set.of("a")));
        assertEquals(List.of(), MigrationPlanner.unappliedDependencies(migration, Set.of("a", "b")));
    }
}
