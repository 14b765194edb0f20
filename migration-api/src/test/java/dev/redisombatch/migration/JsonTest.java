package dev.redisombatch.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static final String CUSTOMER = """
            {"pk":"01H","name":"Ada \\"A\\" L","created_at":"2024-01-15T10:30:00",
             "address":{"city":"Paris","since":"2020-02-01T00:00:00Z","geo":[2.35,48.85]},
             "orders":[{"id":1,"created_at":"2024-01-16T08:00:00"},{"id":2},{"id":3,"created_at":1705392000}]}
            """;

    @Test
    void membersKeepTheirOrderAndTheirJsonText() {
        Map<String, String> members = Json.members(CUSTOMER);
        assertEquals(List.of("pk", "name", "created_at", "address", "orders"), List.copyOf(members.keySet()));
        assertEquals("\"Ada \\\"A\\\" L\"", members.get("name"));
        assertEquals(Optional.of("Ada \"A\" L"), Json.unquote(members.get("name")));
        assertEquals(Map.of(), Json.members(" { } "));
    }

    @Test
    void pathsReachNestedMembersAndArrayElements() {
        assertEquals(Optional.of("\"Paris\""), Json.at(CUSTOMER, "address.city"));
        assertEquals(Optional.of("48.85"), Json.at(CUSTOMER, "address.geo[1]"));
        assertEquals(Optional.of("1705392000"), Json.at(CUSTOMER, "orders[2].created_at"));
        assertEquals(Optional.empty(), Json.at(CUSTOMER, "orders[1].created_at"));
        assertEquals(Optional.empty(), Json.at(CUSTOMER, "orders[9]"));
        assertEquals(Optional.empty(), Json.at(CUSTOMER, "name.first"), "a string has no members");
        assertThrows(IllegalArgumentException.class, () -> Json.at(CUSTOMER, "address..city"));
        assertThrows(IllegalArgumentException.class, () -> Json.at(CUSTOMER, "orders[x]"));
    }

    @Test
    void expandGivesOnePathPerArrayElementThatHasTheMember() {
        assertEquals(List.of("orders[0].created_at", "orders[2].created_at"),
                Json.expand(CUSTOMER, "orders[*].created_at"));
        assertEquals(List.of("address.since"), Json.expand(CUSTOMER, "address.since"));
        assertEquals(List.of(), Json.expand(CUSTOMER, "missing[*].x"));
    }

    @Test
    void setReplacesOrAddsAndRemoveCutsCleanly() {
        String moved = Json.set(CUSTOMER, "address.city", "\"Lyon\"");
        assertEquals(Optional.of("\"Lyon\""), Json.at(moved, "address.city"));
        String added = Json.set("{\"a\":{}}", "a.b", "1");
        assertEquals("{\"a\":{\"b\":1}}", added);
        assertThrows(IllegalArgumentException.class, () -> Json.set(CUSTOMER, "zip.code", "1"));
        assertThrows(IllegalArgumentException.class, () -> Json.set(CUSTOMER, "name.first", "\"A\""));

        assertEquals("{\"b\":2}", Json.remove("{\"a\":1,\"b\":2}", "a"));
        assertEquals("{\"a\":1}", Json.remove("{\"a\":1,\"b\":2}", "b"));
        assertEquals("[1,3]", Json.remove("[1,2,3]", "[1]"));
        assertEquals("{\"a\":1}", Json.remove("{\"a\":1}", "zzz"));
    }

    @Test
    void equivalentComparesValuesNotText() {
        assertTrue(Json.equivalent("1705314600", "1705314600.0"), "1.0.8 drops .0, 2.x keeps it");
        assertTrue(Json.equivalent("0.1", "0.10000000000000001"), "one double, as 1.0.8 prints it back");
        assertFalse(Json.equivalent("9007199254740993", "9007199254740992"), "integers compare exactly");
        assertFalse(Json.equivalent("0.1", "0.2"));
        assertTrue(Json.equivalent("\"\\u00e9\"", "\"é\""));
        assertTrue(Json.equivalent("{\"a\":1,\"b\":[1,2]}", "{ \"b\" : [1, 2.0], \"a\" : 1 }"));
        assertFalse(Json.equivalent("[1,2]", "[2,1]"));
        assertFalse(Json.equivalent("{\"a\":1}", "{\"a\":1,\"b\":null}"));
        assertFalse(Json.equivalent("\"1\"", "1"));
        assertFalse(Json.equivalent(null, "1"));
    }

    @Test
    void removalsGoFromTheLastElementAndTheDeepestMember() {
        assertEquals(List.of("orders[10]", "orders[2].x", "orders[2]", "orders[0]", "a"),
                Json.removalOrder(List.of("a", "orders[0]", "orders[2]", "orders[10]", "orders[2].x")));
    }

    @Test
    void legacyPathsQuoteNamesThatAreNotIdentifiers() {
        assertEquals(".address.since", Json.legacyPath("address.since"));
        assertEquals(".orders[0].created_at", Json.legacyPath("orders[0].created_at"));
        assertEquals("[\"first-name\"].x", Json.legacyPath("first-name.x"));
        assertEquals(".", Json.legacyPath(""));
    }

    @Test
    void quoteEscapesWhatJsonRequires() {
        String text = "tab\tquote\"back\\slash\u0001";
        assertEquals("\"tab\\tquote\\\"back\\\\slash\\u0001\"", Json.quote(text));
        assertEquals(Optional.of(text), Json.unquote(Json.quote(text)));
        assertEquals(Optional.empty(), Json.unquote("12"));
    }
}
