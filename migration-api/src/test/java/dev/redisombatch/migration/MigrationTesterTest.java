package dev.redisombatch.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MigrationTesterTest {

    /** A migration made of an id, the fields it declares it reads, and a transform. */
    private record Migration(String id, Set<String> fieldsRead, Transform transform) implements DataMigration {
        @Override
        public KeySelector keys() {
            return KeySelector.hashes("user:*");
        }

        @Override
        public Change up(Document document) {
            return transform.apply(document);
        }
    }

    /** Good: lower-cases the email, rejects one without '@'. */
    private static final MigrationTester NORMALIZE_EMAIL = MigrationTester.of(new Migration("normalize_email",
            Set.of("email"), document -> {
                String email = document.get("email").orElse(null);
                if (email == null) {
                    return Change.none();
                }
                if (!email.contains("@")) {
                    throw new DataMigrationException("email = '" + email + "' has no @");
                }
                return Change.set("email", email.trim().toLowerCase(Locale.ROOT));
            }));

    /** Not idempotent: appends "!" on every pass. */
    private static final MigrationTester EXCLAIM = MigrationTester.of(new Migration("exclaim", Set.of("name"),
            document -> document.get("name").map(name -> Change.set("name", name + "!")).orElse(Change.none())));

    /** Needs "last" but declares that it reads only "first" (and "full", which it writes): "last" is not fetched. */
    private static final MigrationTester FULL_NAME = MigrationTester.of(new Migration("full_name",
            Set.of("first", "full"), document -> Change.set("full", document.get("first").orElse("") + " " + document.get("last").orElse(""))));

    private static Document user(Map<String, String> fields) {
        return Document.of("user:1", fields);
    }

    @Test
    void passesOnAGoodMigration() {
        Document migrated = NORMALIZE_EMAIL.assertMigrates(user(Map.of("email", " Ada@Example.COM", "name", "Ada")),
                Map.of("email", "ada@example.com", "name", "Ada"));
        assertEquals("user:1", migrated.key());
        NORMALIZE_EMAIL.assertUnchanged(user(Map.of("email", "ada@example.com")));
        NORMALIZE_EMAIL.assertUnchanged(user(Map.of("name", "Ada")));
        DataMigrationException rejection = NORMALIZE_EMAIL.assertRejects(user(Map.of("email", "nobody")));
        assertTrue(rejection.getMessage().contains("nobody"), rejection.getMessage());
        NORMALIZE_EMAIL.assertIdempotent(user(Map.of("email", " Ada@Example.COM")), user(Map.of("name", "Ada")),
                user(Map.of("email", "ada@example.com")));
    }

    @Test
    void narrowsTheDocumentToTheFieldsRead() {
        Document stored = user(Map.of("email", "A@B.C", "name", "Ada"));
        assertEquals(user(Map.of("email", "A@B.C")), NORMALIZE_EMAIL.asRead(stored));
        assertEquals(Change.set("email", "a@b.c"), NORMALIZE_EMAIL.changeFor(stored));
    }

    @Test
    void failsWhenTheResultIsNotTheExpectedOne() {
        AssertionError error = assertThrows(AssertionError.class, () -> NORMALIZE_EMAIL.assertMigrates(
                user(Map.of("email", "A@B.C")), Map.of("email", "A@B.C")));
        assertMentions(error, "normalize_email", "expected {email=A@B.C}", "but got  {email=a@b.c}");
    }

    @Test
    void failsWhenADocumentThatShouldBeLeftAloneChanges() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> NORMALIZE_EMAIL.assertUnchanged(user(Map.of("email", "A@B.C"))));
        assertMentions(error, "normalize_email", "should leave", "A@B.C", "a@b.c");
    }

    @Test
    void failsWhenADocumentThatShouldBeRejectedIsNot() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> NORMALIZE_EMAIL.assertRejects(user(Map.of("email", "a@b.c"))));
        assertMentions(error, "normalize_email", "should reject", "a@b.c");
    }

    @Test
    void failsOnANonIdempotentMigration() {
        assertEquals(user(Map.of("name", "Ada!")), EXCLAIM.migrate(user(Map.of("name", "Ada"))));
        AssertionError error = assertThrows(AssertionError.class,
                () -> EXCLAIM.assertIdempotent(user(Map.of("email", "a@b.c")), user(Map.of("name", "Ada"))));
        assertMentions(error, "exclaim is not idempotent", "{name=Ada}", "{name=Ada!}", "Ada!!");
    }

    @Test
    void failsWhenTheTransformWritesAFieldFieldsReadDoesNotName() {
        MigrationTester undeclared = MigrationTester.of(new Migration("copy", Set.of("a"),
                document -> Change.set("b", document.get("a").orElse(""))));
        AssertionError error = assertThrows(AssertionError.class,
                () -> undeclared.changeFor(user(Map.of("a", "x"))));
        assertMentions(error, "copy writes [b]", "fieldsRead() [a] does not name");
    }

    @Test
    void failsWhenFieldsReadOmitsAFieldTheTransformNeeds() {
        Document stored = user(Map.of("first", "Ada", "last", "Lovelace"));
        AssertionError error = assertThrows(AssertionError.class, () -> FULL_NAME.assertMigrates(stored,
                Map.of("first", "Ada", "last", "Lovelace", "full", "Ada Lovelace")));
        assertMentions(error, "full_name", "full=Ada Lovelace", "full=Ada ");
    }

    @Test
    void aMigrationThatDeletesTheKeyMigratesToNothing() {
        MigrationTester deleting = MigrationTester.of(new Migration("drop", Set.of(), document -> Change.deleteKey()));
        assertNull(deleting.migrate(user(Map.of("name", "Ada"))));
        deleting.assertIdempotent(user(Map.of("name", "Ada")));
        AssertionError error = assertThrows(AssertionError.class,
                () -> deleting.assertMigrates(user(Map.of("name", "Ada")), Map.of("name", "Ada")));
        assertMentions(error, "drop deleted user:1");
    }

    private static void assertMentions(AssertionError error, String... parts) {
        for (String part : parts) {
            assertTrue(error.getMessage().contains(part), () -> "'" + part + "' not in: " + error.getMessage());
        }
    }
}
