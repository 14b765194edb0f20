package dev.redisombatch.samples;

import static dev.redisombatch.samples.Samples.PK;
import static dev.redisombatch.samples.Samples.user;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.MigrationTester;
import dev.redisombatch.migration.Transform;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SplitNameTest {

    private final SplitName migration = new SplitName();
    private final MigrationTester tester = MigrationTester.of(migration);

    @Test
    void declaresWhatItReads() {
        assertEquals("20260101_000300_split_name", migration.id());
        assertEquals(Set.of("name", "first_name", "last_name"), migration.fieldsRead());
    }

    @Test
    void splitsTheFirstWordFromTheRest() {
        tester.assertMigrates(
                user(Map.of("pk", PK, "name", "Ada Lovelace", "age", "36")),
                Map.of("pk", PK, "first_name", "Ada", "last_name", "Lovelace", "age", "36"));
        tester.assertMigrates(
                user(Map.of("name", "  Augusta Ada   King ")),
                Map.of("first_name", "Augusta", "last_name", "Ada   King"));
    }

    @Test
    void givesASingleWordNameAFirstNameOnly() {
        tester.assertMigrates(user(Map.of("pk", PK, "name", "Cher")), Map.of("pk", PK, "first_name", "Cher"));
    }

    @Test
    void removesANameLeftBesideTheSplitItMatches() {
        tester.assertMigrates(
                user(Map.of("name", "Ada Lovelace", "first_name", "Ada", "last_name", "Lovelace")),
                Map.of("first_name", "Ada", "last_name", "Lovelace"));
        tester.assertMigrates(
                user(Map.of("name", " Ada  Lovelace", "first_name", "Ada", "last_name", "Lovelace")),
                Map.of("first_name", "Ada", "last_name", "Lovelace"));
        tester.assertMigrates(user(Map.of("name", "Cher", "first_name", "Cher")), Map.of("first_name", "Cher"));
    }

    @Test
    void leavesUsersAloneWhenNameIsMissingBlankOrDisagreesWithTheSplit() {
        tester.assertUnchanged(user(Map.of("pk", PK, "first_name", "Ada", "last_name", "Lovelace")));
        tester.assertUnchanged(user(Map.of("pk", PK, "name", "  ")));
        tester.assertUnchanged(user(Map.of("name", "Ada King", "first_name", "Ada", "last_name", "Lovelace")));
        tester.assertUnchanged(user(Map.of("name", "Ada Lovelace", "last_name", "Lovelace")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ada Lovelace", "Cher", "Augusta Ada King", "Jean-Luc Picard"})
    void downRestoresTheName(String name) {
        Document original = user(Map.of("pk", PK, "name", name, "email", "ada@example.com"));
        assertEquals(original, down(tester.migrate(original)));
    }

    @Test
    void downLeavesUsersWithoutFirstNameAlone() {
        Document unsplit = user(Map.of("pk", PK, "name", "Ada Lovelace"));
        assertEquals(unsplit, down(unsplit));
    }

    @Test
    void isIdempotent() {
        tester.assertIdempotent(
                user(Map.of("pk", PK, "name", "Ada Lovelace")),
                user(Map.of("pk", PK, "name", "Cher")),
                user(Map.of("pk", PK, "name", " Augusta  Ada King ")),
                user(Map.of("name", "Ada Lovelace", "first_name", "Ada", "last_name", "Lovelace")),
                user(Map.of("name", "Ada King", "first_name", "Ada", "last_name", "Lovelace")),
                user(Map.of("name", "", "first_name", "Ada")),
                user(Map.of("pk", PK)));
    }

    /** One pass of down() as the engine runs it: on the fields the migration reads, writing only what differs. */
    private Document down(Document stored) {
        Transform down = migration.down().orElseThrow();
        Document read = tester.asRead(stored);
        return down.apply(read).effectiveOn(read).applyTo(stored);
    }
}
