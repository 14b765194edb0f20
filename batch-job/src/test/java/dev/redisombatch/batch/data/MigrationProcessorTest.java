package dev.redisombatch.batch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.Transform;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MigrationProcessorTest {

    private final Document user = Document.of("user:42", Map.of("name", "Ada", "email", "ada@example.com"));

    private static DocumentChange process(Transform transform, Document document) {
        return new MigrationProcessor(transform).process(document);
    }

    static Stream<Change> noOps() {
        return Stream.of(Change.none(), Change.set("name", "Ada"), Change.remove("missing"),
                Change.builder().set("email", "ada@example.com").remove("age").build());
    }

    @ParameterizedTest
    @MethodSource("noOps")
    void filtersOutChangesThatAlterNothing(Change noOp) {
        assertNull(process(document -> noOp, user));
    }

    @Test
    void passesOnOnlyTheEffectivePartOfTheChange() {
        DocumentChange result = process(document -> Change.builder()
                .set("name", "Ada").set("age", "36").remove("missing").remove("email").build(), user);
        assertSame(user, result.before());
        assertEquals("user:42", result.key());
        assertEquals(Change.builder().set("age", "36").remove("email").build(), result.change());
    }

    @Test
    void passesOnAKeyDeletion() {
        assertEquals(Change.deleteKey(), process(document -> Change.deleteKey(), user).change());
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new DataMigrationException("email = 'x' is not an email"), "email = 'x' is not an email"),
                Arguments.of(new IllegalStateException("odd document"), "odd document"),
                Arguments.of(new NullPointerException(), "java.lang.NullPointerException"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void wrapsTransformFailuresIntoARejectionNamingTheKey(RuntimeException failure, String reason) {
        DocumentRejectedException rejected = assertThrows(DocumentRejectedException.class,
                () -> process(document -> { throw failure; }, user));
        assertEquals("user:42", rejected.key());
        assertEquals("user:42: " + reason, rejected.getMessage());
        assertEquals(reason, rejected.reason());
        assertSame(failure, rejected.getCause());
    }

    @Test
    void wrapsANullPointerExceptionRaisedInsideTheTransform() {
        DocumentRejectedException rejected = assertThrows(DocumentRejectedException.class,
                () -> process(document -> Change.set("age", document.get("age").orElse(null)), user));
        assertEquals("user:42", rejected.key());
        assertInstanceOf(NullPointerException.class, rejected.getCause());
        assertTrue(rejected.getMessage().startsWith("user:42: "), rejected.getMessage());
    }

    @Test
    void rejectsATransformThatReturnsNull() {
        DocumentRejectedException rejected = assertThrows(DocumentRejectedException.class,
                () -> process(document -> null, user));
        assertEquals("user:42", rejected.key());
        assertTrue(rejected.reason().contains("null"), rejected.reason());
    }
}
