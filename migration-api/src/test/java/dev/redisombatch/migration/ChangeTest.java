package dev.redisombatch.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangeTest {

    private final Document user = Document.of("user:1", Map.of("name", "Ada", "email", "ada@example.com"));

    @Test
    void aFieldIsEitherSetOrRemovedAndTheLastCallWins() {
        Change removed = Change.builder().set("name", "Ada").remove("name").build();
        assertEquals(Map.of(), removed.fieldsToSet());
        assertEquals(Set.of("name"), removed.fieldsToRemove());

        Change set = Change.builder().remove("name").set("name", "Bob").build();
        assertEquals(Map.of("name", "Bob"), set.fieldsToSet());
        assertEquals(Set.of(), set.fieldsToRemove());

        assertEquals(
                Map.of("name", "Cy"),
                Change.builder().set("name", "Bob").set("name", "Cy").build().fieldsToSet());
    }

    @Test
    void effectiveOnDropsSetsToTheCurrentValueAndRemovalsOfAbsentFields() {
        Change change = Change.builder()
                .set("name", "Ada")
                .set("age", "36")
                .remove("missing")
                .remove("email")
                .build();
        Change effective = change.effectiveOn(user);
        assertEquals(Map.of("age", "36"), effective.fieldsToSet());
        assertEquals(Set.of("email"), effective.fieldsToRemove());
        assertEquals(Change.builder().set("age", "36").remove("email").build(), effective);
    }

    @Test
    void aChangeThatAltersNothingIsEffectivelyNone() {
        Change noOp = Change.builder().set("name", "Ada").remove("missing").build();
        assertFalse(noOp.isNone());
        assertTrue(noOp.effectiveOn(user).isNone());
    }

    @Test
    void applyToSetsAndRemovesFieldsAndKeepsTheKey() {
        Document after = Change.builder()
                .set("name", "Bob")
                .set("age", "36")
                .remove("email")
                .build()
                .applyTo(user);
        assertEquals("user:1", after.key());
        assertEquals(Map.of("name", "Bob", "age", "36"), after.fields());
        assertEquals(user, Change.none().applyTo(user));
    }

    @Test
    void deleteKeyDeletesTheDocumentAndStaysEffective() {
        Change delete = Change.deleteKey();
        assertTrue(delete.deletesKey());
        assertFalse(delete.isNone());
        assertSame(delete, delete.effectiveOn(user));
        assertNull(delete.applyTo(user));
    }

    @Test
    void noneIsWhatAnEmptyBuilderBuilds() {
        assertTrue(Change.none().isNone());
        assertFalse(Change.none().deletesKey());
        assertEquals(Change.none(), Change.builder().build());
        assertTrue(Change.builder().build().isNone());
        assertFalse(Change.set("name", "Ada").isNone());
        assertFalse(Change.remove("name").isNone());
    }

    @Test
    void equalityIsByContent() {
        Change one = Change.builder().set("a", "1").set("b", "2").remove("c").build();
        Change sameInAnotherOrder =
                Change.builder().remove("c").set("b", "2").set("a", "1").build();
        assertEquals(one, sameInAnotherOrder);
        assertEquals(one.hashCode(), sameInAnotherOrder.hashCode());
        assertNotEquals(one, Change.builder().set("a", "1").set("b", "2").build());
        assertNotEquals(Change.set("a", "1"), Change.set("a", "2"));
        assertNotEquals(Change.none(), Change.deleteKey());
        assertNotEquals(Change.set("a", "1"), "set {a=1}");
    }

    private static final Instant NEW_YEAR = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aFieldEitherExpiresOrPersistsAndARemovedFieldHasNoExpiry() {
        Change persisted = Change.builder()
                .expireAt("session", NEW_YEAR)
                .persist("session")
                .build();
        assertEquals(Map.of(), persisted.fieldExpiryTimes());
        assertEquals(Set.of("session"), persisted.fieldsToPersist());

        Change removed =
                Change.builder().expireAt("session", NEW_YEAR).remove("session").build();
        assertEquals(Set.of("session"), removed.fieldsToRemove());
        assertFalse(removed.asksFieldExpiry());

        Change kept =
                Change.builder().remove("session").expireAt("session", NEW_YEAR).build();
        assertEquals(Set.of(), kept.fieldsToRemove());
        assertEquals(Map.of("session", NEW_YEAR), kept.fieldExpiryTimes());
        assertTrue(kept.asksFieldExpiry());
        assertFalse(kept.isNone());
        assertEquals(Set.of("session"), Change.persist("session").fieldsToPersist());
    }

    @Test
    void anExpiryIsAnInstantKeptToTheMillisecondWithinWhatRedisKeeps() {
        Instant withNanos = NEW_YEAR.plusNanos(1_234_567);
        assertEquals(
                NEW_YEAR.plusMillis(1),
                Change.expireAt("session", withNanos).fieldExpiryTimes().get("session"));
        IllegalArgumentException before1970 = assertThrows(
                IllegalArgumentException.class, () -> Change.expireAt("session", Instant.EPOCH.minusMillis(1)));
        assertTrue(before1970.getMessage().startsWith("expiry time of session out of range"), before1970.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Change.expireAt("session", Instant.ofEpochMilli(1L << 48)));
        assertThrows(NullPointerException.class, () -> Change.expireAt("session", null));
    }

    @Test
    void effectiveOnKeepsExpiriesOfFieldsThereOrSetAndDropsTheOthers() {
        Change change = Change.builder()
                .expireAt("name", NEW_YEAR)
                .persist("email")
                .set("session", "s1")
                .expireAt("session", NEW_YEAR)
                .expireAt("missing", NEW_YEAR)
                .persist("gone")
                .build();
        Change effective = change.effectiveOn(user);
        assertEquals(Map.of("name", NEW_YEAR, "session", NEW_YEAR), effective.fieldExpiryTimes());
        assertEquals(Set.of("email"), effective.fieldsToPersist());
        assertEquals(Map.of("session", "s1"), effective.fieldsToSet());

        // The document does not carry TTLs: an expiry asked for a field that is there stays a change.
        Change expiryOnly = Change.expireAt("name", NEW_YEAR);
        assertSame(expiryOnly, expiryOnly.effectiveOn(user));
        assertTrue(Change.persist("missing").effectiveOn(user).isNone());
    }

    @Test
    void applyToLeavesFieldsThatWillExpireAndRemovesThoseAlreadyExpired() {
        Document after = Change.builder()
                .expireAt("name", NEW_YEAR)
                .persist("email")
                .set("session", "s1")
                .expireAt("session", Instant.parse("2020-01-01T00:00:00Z"))
                .build()
                .applyTo(user);
        assertEquals(Map.of("name", "Ada", "email", "ada@example.com"), after.fields());
    }

    @Test
    void aJsonDocumentHasNoFieldTtls() {
        Document json = Document.json("doc:1", "{\"session\":\"s1\"}");
        Change change = Change.persist("session");
        assertSame(change, change.effectiveOn(json));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> change.applyTo(json));
        assertEquals(
                "the change sets or clears the expiry of [session], but a JSON document has no field TTLs;"
                        + " only hash fields have them",
                refused.getMessage());
    }

    @Test
    void equalityAndTextIncludeExpiries() {
        Change one = Change.builder()
                .set("a", "1")
                .expireAt("a", NEW_YEAR)
                .persist("b")
                .build();
        Change same = Change.builder()
                .persist("b")
                .expireAt("a", NEW_YEAR)
                .set("a", "1")
                .build();
        assertEquals(one, same);
        assertEquals(one.hashCode(), same.hashCode());
        assertNotEquals(
                one, Change.builder().set("a", "1").expireAt("a", NEW_YEAR).build());
        assertNotEquals(
                one,
                Change.builder()
                        .set("a", "1")
                        .expireAt("a", NEW_YEAR.plusMillis(1))
                        .persist("b")
                        .build());
        assertNotEquals(Change.expireAt("a", NEW_YEAR), Change.persist("a"));
        assertEquals("set {a=1} expire {a=2030-01-01T00:00:00Z} persist [b]", one.toString());
        assertEquals(
                "expire {a=2030-01-01T00:00:00Z}",
                Change.expireAt("a", NEW_YEAR).toString());
        assertEquals("persist [b]", Change.persist("b").toString());
        assertEquals(
                "set {} remove [c] persist [b]",
                Change.builder().remove("c").persist("b").build().toString());
    }
}
