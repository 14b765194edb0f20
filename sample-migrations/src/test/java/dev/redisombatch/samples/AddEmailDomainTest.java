package dev.redisombatch.samples;

import static dev.redisombatch.samples.Samples.PK;
import static dev.redisombatch.samples.Samples.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.MigrationTester;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddEmailDomainTest {

    private final AddEmailDomain migration = new AddEmailDomain();
    private final MigrationTester tester = MigrationTester.of(migration);

    @Test
    void declaresWhatItReadsAndDependsOn() {
        assertEquals("20260101_000200_add_email_domain", migration.id());
        assertEquals(List.of("20260101_000100_normalize_emails"), migration.dependencies());
        assertEquals(Set.of("email", "email_domain"), migration.fieldsRead());
    }

    @Test
    void setsTheDomainFromTheEmail() {
        tester.assertMigrates(
                user(Map.of("pk", PK, "email", "ada@example.com")),
                Map.of("pk", PK, "email", "ada@example.com", "email_domain", "example.com"));
    }

    @Test
    void writesTheDomainLowerCasedEvenIfTheEmailWasNotNormalized() {
        tester.assertMigrates(
                user(Map.of("email", "Ada@Mail.Example.COM")),
                Map.of("email", "Ada@Mail.Example.COM", "email_domain", "mail.example.com"));
    }

    @Test
    void correctsAStaleDomain() {
        tester.assertMigrates(
                user(Map.of("email", "ada@example.com", "email_domain", "old.example.org")),
                Map.of("email", "ada@example.com", "email_domain", "example.com"));
    }

    @Test
    void leavesUsersWithoutEmailOrWithTheDomainAlone() {
        tester.assertUnchanged(user(Map.of("pk", PK, "name", "Ada Lovelace")));
        tester.assertUnchanged(user(Map.of("email", "ada@example.com", "email_domain", "example.com")));
    }

    @Test
    void rejectsAnEmailWithoutDomain() {
        DataMigrationException rejected = tester.assertRejects(user(Map.of("email", "ada@")));
        assertTrue(rejected.getMessage().contains("email"), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("'ada@'"), rejected.getMessage());
    }

    @Test
    void isIdempotent() {
        tester.assertIdempotent(
                user(Map.of("pk", PK, "email", "ada@example.com")),
                user(Map.of("pk", PK, "email", "Grace@NAVY.mil", "email_domain", "navy.mil")),
                user(Map.of("pk", PK, "email", "x@y", "email_domain", "z")),
                user(Map.of("pk", PK, "first_name", "Ada")));
    }
}
