package dev.redisombatch.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

        assertEquals(Map.of("name", "Cy"), Change.builder().set("name", "Bob").set("name", "Cy").build().fieldsToSet());
    }

    @Test
    void effectiveOnDropsSetsToTheCurrentValueAndRemovalsOfAbsentFields() {
        Change change = Change.builder()
                .set("name", "Ada").set("age", "36")
                .remove("missing").remove("email")
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
        Document after = Change.builder().set("name", "Bob").set("age", "36").remove("email").build().applyTo(user);
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
        Change sameInAnotherOrder = Change.builder().remove("c").set("b", "2").set("a", "1").build();
        assertEquals(one, sameInAnotherOrder);
        assertEquals(one.hashCode(), sameInAnotherOrder.hashCode());
        assertNotEquals(one, Change.builder().set("a", "1").set("b", "2").build());
        assertNotEquals(Change.set("a", "1"), Change.set("a", "2"));
        assertNotEquals(Change.none(), Change.deleteKey());
        assertNotEquals(Change.set("a", "1"), "set {a=1}");
    }
}
