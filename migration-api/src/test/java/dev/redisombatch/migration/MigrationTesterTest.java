package dev.redisombatch.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
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
    private static final MigrationTester NORMALIZE_EMAIL =
            MigrationTester.of(new Migration("normalize_email", Set.of("email"), document -> {
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
    private static final MigrationTester EXCLAIM = MigrationTester.of(new Migration(
            "exclaim",
            Set.of("name"),
            document -> document.get("name")
                    .map(name -> Change.set("name", name + "!"))
                    .orElse(Change.none())));

    /** Needs "last" but declares that it reads only "first" (and "full", which it writes): "last" is not fetched. */
    private static final MigrationTester FULL_NAME = MigrationTester.of(new Migration(
            "full_name",
            Set.of("first", "full"),
            document -> Change.set(
                    "full",
                    document.get("first").orElse("") + " "
                            + document.get("last").orElse(""))));

    private static Document user(Map<String, String> fields) {
        return Document.of("user:1", fields);
    }

    @Test
    void passesOnAGoodMigration() {
        Document migrated = NORMALIZE_EMAIL.assertMigrates(
                user(Map.of("email", " Ada@Example.COM", "name", "Ada")),
                Map.of("email", "ada@example.com", "name", "Ada"));
        assertEquals("user:1", migrated.key());
        NORMALIZE_EMAIL.assertUnchanged(user(Map.of("email", "ada@example.com")));
        NORMALIZE_EMAIL.assertUnchanged(user(Map.of("name", "Ada")));
        DataMigrationException rejection = NORMALIZE_EMAIL.assertRejects(user(Map.of("email", "nobody")));
        assertTrue(rejection.getMessage().contains("nobody"), rejection.getMessage());
        NORMALIZE_EMAIL.assertIdempotent(
                user(Map.of("email", " Ada@Example.COM")),
                user(Map.of("name", "Ada")),
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
        AssertionError error = assertThrows(
                AssertionError.class,
                () -> NORMALIZE_EMAIL.assertMigrates(user(Map.of("email", "A@B.C")), Map.of("email", "A@B.C")));
        assertMentions(error, "normalize_email", "expected {email=A@B.C}", "but got  {email=a@b.c}");
    }

    @Test
    void failsWhenADocumentThatShouldBeLeftAloneChanges() {
        AssertionError error = assertThrows(
                AssertionError.class, () -> NORMALIZE_EMAIL.assertUnchanged(user(Map.of("email", "A@B.C"))));
        assertMentions(error, "normalize_email", "should leave", "A@B.C", "a@b.c");
    }

    @Test
    void failsWhenADocumentThatShouldBeRejectedIsNot() {
        AssertionError error =
                assertThrows(AssertionError.class, () -> NORMALIZE_EMAIL.assertRejects(user(Map.of("email", "a@b.c"))));
        assertMentions(error, "normalize_email", "should reject", "a@b.c");
    }

    @Test
    void failsOnANonIdempotentMigration() {
        assertEquals(user(Map.of("name", "Ada!")), EXCLAIM.migrate(user(Map.of("name", "Ada"))));
        AssertionError error = assertThrows(
                AssertionError.class,
                () -> EXCLAIM.assertIdempotent(user(Map.of("email", "a@b.c")), user(Map.of("name", "Ada"))));
        assertMentions(error, "exclaim is not idempotent", "{name=Ada}", "{name=Ada!}", "Ada!!");
    }

    @Test
    void failsWhenTheTransformWritesAFieldFieldsReadDoesNotName() {
        MigrationTester undeclared = MigrationTester.of(new Migration(
                "copy",
                Set.of("a"),
                document -> Change.set("b", document.get("a").orElse(""))));
        AssertionError error = assertThrows(AssertionError.class, () -> undeclared.changeFor(user(Map.of("a", "x"))));
        assertMentions(error, "copy writes [b]", "fieldsRead() [a] does not name");
    }

    @Test
    void failsWhenFieldsReadOmitsAFieldTheTransformNeeds() {
        Document stored = user(Map.of("first", "Ada", "last", "Lovelace"));
        AssertionError error = assertThrows(
                AssertionError.class,
                () -> FULL_NAME.assertMigrates(
                        stored, Map.of("first", "Ada", "last", "Lovelace", "full", "Ada Lovelace")));
        assertMentions(error, "full_name", "full=Ada Lovelace", "full=Ada ");
    }

    @Test
    void aMigrationThatDeletesTheKeyMigratesToNothing() {
        MigrationTester deleting = MigrationTester.of(new Migration("drop", Set.of(), document -> Change.deleteKey()));
        assertNull(deleting.migrate(user(Map.of("name", "Ada"))));
        deleting.assertIdempotent(user(Map.of("name", "Ada")));
        AssertionError error = assertThrows(
                AssertionError.class,
                () -> deleting.assertMigrates(user(Map.of("name", "Ada")), Map.of("name", "Ada")));
        assertMentions(error, "drop deleted user:1");
    }

    private static void assertMentions(AssertionError error, String... parts) {
        for (String part : parts) {
            assertTrue(error.getMessage().contains(part), () -> "'" + part + "' not in: " + error.getMessage());
        }
    }

    /** Sessions expire 30 days after they were created: an instant computed from the document. */
    private static final MigrationTester SESSION_EXPIRY =
            MigrationTester.of(new Migration("session_expiry", Set.of("session", "created_at", "token"), document -> {
                Change.Builder change = Change.builder().persist("token");
                document.get("created_at")
                        .ifPresent(created -> change.expireAt(
                                "session",
                                Instant.ofEpochSecond(Long.parseLong(created)).plusSeconds(30L * 24 * 3600)));
                return change.build();
            }));

    @Test
    void anExpiryComputedFromTheDocumentIsIdempotentAndShownInTheChange() {
        Document stored = user(Map.of("session", "s1", "created_at", "1893456000", "token", "t1"));
        Change change = SESSION_EXPIRY.changeFor(stored);
        assertEquals(Map.of("session", Instant.parse("2030-01-31T00:00:00Z")), change.fieldExpiryTimes());
        assertEquals(Set.of("token"), change.fieldsToPersist());
        SESSION_EXPIRY.assertMigrates(stored, stored.fields());
        SESSION_EXPIRY.assertIdempotent(stored, user(Map.of("name", "Ada")));
        // An expiry is a change: the engine writes it (and the server leaves a field alone that already has it).
        assertThrows(AssertionError.class, () -> SESSION_EXPIRY.assertUnchanged(stored));
        // An expiry already past deletes the field, as Redis does.
        SESSION_EXPIRY.assertMigrates(user(Map.of("session", "s1", "created_at", "0")), Map.of("created_at", "0"));
    }

    @Test
    void anExpiryFromTheClockIsNotIdempotent() throws InterruptedException {
        MigrationTester fromTheClock =
                MigrationTester.of(new Migration("from_the_clock", Set.of("session"), document -> {
                    sleepAMillisecond();
                    return Change.expireAt("session", Instant.now().plusSeconds(3600));
                }));
        AssertionError failure =
                assertThrows(AssertionError.class, () -> fromTheClock.assertIdempotent(user(Map.of("session", "s1"))));
        assertTrue(failure.getMessage().startsWith("from_the_clock is not idempotent on user:1"), failure.getMessage());
    }

    private static void sleepAMillisecond() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anExpiryOfAFieldNotReadIsLeftAloneAndOneOfAJsonDocumentIsRefusedAsTheEngineWould() {
        // fieldsRead() does not name session: it reads as absent, and an expiry of an absent field is left alone.
        MigrationTester unread =
                MigrationTester.of(new Migration("unread", Set.of("name"), document -> Change.persist("session")));
        assertTrue(
                unread.changeFor(user(Map.of("name", "Ada", "session", "s1"))).isNone());

        MigrationTester json = MigrationTester.of(new Migration(
                "json_expiry",
                Set.of(),
                document -> Change.expireAt("session", Instant.parse("2030-01-01T00:00:00Z"))));
        AssertionError refused = assertThrows(
                AssertionError.class, () -> json.changeFor(Document.json("doc:1", "{\"session\":\"s1\"}")));
        assertTrue(refused.getMessage().contains("a JSON document has no field TTLs"), refused.getMessage());
    }
}
