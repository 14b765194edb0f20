package dev.redisombatch.samples;

import static dev.redisombatch.samples.Samples.PK;
import static dev.redisombatch.samples.Samples.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.MigrationTester;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NormalizeEmailsTest {

    private final NormalizeEmails migration = new NormalizeEmails();
    private final MigrationTester tester = MigrationTester.of(migration);

    @Test
    void declaresWhatItReads() {
        assertEquals("20260101_000100_normalize_emails", migration.id());
        assertEquals(Set.of("email"), migration.fieldsRead());
        assertTrue(migration.dependencies().isEmpty());
    }

    @Test
    void trimsAndLowerCasesTheEmailAndKeepsOtherFields() {
        tester.assertMigrates(
                user(Map.of("pk", PK, "email", "  Ada.Lovelace@Example.COM\t", "age", "36")),
                Map.of("pk", PK, "email", "ada.lovelace@example.com", "age", "36"));
    }

    @Test
    void lowerCasesIndependentlyOfTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR")); // where "I".toLowerCase() is a dotless "ı"
        try {
            tester.assertMigrates(user(Map.of("email", "INFO@ISTANBUL.TR")), Map.of("email", "info@istanbul.tr"));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void leavesNormalizedEmailsAndUsersWithoutEmailAlone() {
        tester.assertUnchanged(user(Map.of("pk", PK, "email", "ada@example.com")));
        tester.assertUnchanged(user(Map.of("pk", PK, "first_name", "Ada")));
        tester.assertUnchanged(user(Map.of()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"ada.example.com", "ada@@example.com", "a@b@example.com", "@example.com", "ada@", " @ ", ""})
    void rejectsValuesThatAreNotLocalAtDomain(String email) {
        DataMigrationException rejected = tester.assertRejects(user(Map.of("pk", PK, "email", email)));
        assertTrue(rejected.getMessage().startsWith("email "), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("'" + email + "'"), rejected.getMessage());
    }

    @Test
    void isIdempotent() {
        tester.assertIdempotent(
                user(Map.of("pk", PK, "email", " Ada@Example.com ")),
                user(Map.of("pk", PK, "email", "ada@example.com")),
                user(Map.of("pk", PK, "email", "GRACE.HOPPER@NAVY.MIL", "name", "Grace Hopper")),
                user(Map.of("pk", PK, "email", "x@y")),
                user(Map.of("pk", PK)));
    }
}
