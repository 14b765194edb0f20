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
        assertEquals(
                List.of("orders[0].created_at", "orders[2].created_at"), Json.expand(CUSTOMER, "orders[*].created_at"));
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
    void manySetsAtOnceLeaveWhatOneAfterAnotherWould() {
        String json = "{\"o\":[{\"id\":0} , {},{\"id\":2,\"t\":\"x\"}],\"e\":{ },\"f\":{\"a\":1}}";
        List<Map.Entry<String, String>> apart = List.of(
                Map.entry("o[0].id", "10"),
                Map.entry("o[1].new", "1"),
                Map.entry("o[1].other", "2"),
                Map.entry("o[2].t", "\"y\""),
                Map.entry("e.k", "3"),
                Map.entry("e.l", "4"),
                Map.entry("f.b", "5"));
        assertEquals(oneAfterAnother(json, apart), Json.setAll(json, apart));
        assertEquals(
                "{\"o\":[{\"id\":10} , {\"new\":1,\"other\":2},{\"id\":2,\"t\":\"y\"}],"
                        + "\"e\":{ \"k\":3,\"l\":4},\"f\":{\"a\":1,\"b\":5}}",
                Json.setAll(json, apart));
        // One set reaching into what another writes, or into a member another adds: one after another.
        List<Map.Entry<String, String>> nested =
                List.of(Map.entry("f", "{}"), Map.entry("f.x", "1"), Map.entry("e.k", "{}"), Map.entry("e.k.y", "2"));
        assertEquals(
                "{\"o\":[{\"id\":0} , {},{\"id\":2,\"t\":\"x\"}],\"e\":{ \"k\":{\"y\":2}}," + "\"f\":{\"x\":1}}",
                Json.setAll(json, nested));
        assertEquals(oneAfterAnother(json, nested), Json.setAll(json, nested));
        assertThrows(
                IllegalArgumentException.class,
                () -> Json.setAll(json, List.of(Map.entry("o[0].id", "1"), Map.entry("zip.code", "1"))));
    }

    @Test
    void manyRemovalsAtOnceLeaveWhatOneAfterAnotherWould() {
        String json = "{\"o\":[0 , 1,2, {\"a\":1,\"b\":2} ,4,5],\"m\":{\"b\":1,\"a\":2},\"n\":[{\"x\":1}]}";
        for (List<String> paths : List.of(
                List.of("o[5]", "o[4]"),
                List.of("o[5]", "o[3].b", "o[1]", "o[0]"),
                List.of("o[4]", "o[2]", "o[1]"),
                List.of("m.b", "m.a"),
                List.of("m.a"),
                List.of("n[0].x", "n[0]"),
                List.of("o[3].b", "o[3].a", "o[3]"),
                List.of("o[9]", "zz", "o[0].x"))) {
            List<String> ordered = Json.removalOrder(paths);
            String expected = json;
            for (String path : ordered) {
                expected = Json.remove(expected, path);
            }
            assertEquals(expected, Json.removeAll(json, ordered), paths.toString());
        }
        assertEquals(
                "{\"o\":[0 , 1,2, {\"a\":1} ,4],\"m\":{},\"n\":[{\"x\":1}]}",
                Json.removeAll(json, Json.removalOrder(List.of("o[5]", "o[3].b", "m.a", "m.b"))));
    }

    @Test
    void aChangeOfEveryElementOfALargeArrayIsOnePassOverIt() {
        // 50,000 elements: one path at a time (a pass over the array for each) took 2 minutes for 10,000 and grew with
        // the square of the size, which would be most of an hour here; this test finishes only if the work is linear.
        int size = 50_000;
        StringBuilder orders = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            orders.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"at\":\"2024-01-15\"}");
        }
        Document document =
                Document.json("k", Map.of("orders", orders.append(']').toString()));
        Change.Builder change = Change.builder();
        for (String path : document.paths("orders[*].at")) {
            assertEquals(Optional.of("\"2024-01-15\""), document.at(path));
            change.set(path, "1705276800");
        }
        for (String path : document.paths("orders[*].id")) {
            change.remove(path);
        }
        Change effective = change.build().effectiveOn(document);
        assertEquals(
                2 * size,
                effective.fieldsToSet().size() + effective.fieldsToRemove().size());

        Document after = effective.applyTo(document);

        assertEquals(size, after.paths("orders[*].at").size());
        assertEquals(List.of(), after.paths("orders[*].id"));
        assertEquals(Optional.of("{\"at\":1705276800}"), after.at("orders[" + (size - 1) + "]"));
    }

    private static String oneAfterAnother(String json, List<Map.Entry<String, String>> sets) {
        String text = json;
        for (Map.Entry<String, String> set : sets) {
            text = Json.set(text, set.getKey(), set.getValue());
        }
        return text;
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
        assertEquals(
                List.of("orders[10]", "orders[2].x", "orders[2]", "orders[0]", "a"),
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
