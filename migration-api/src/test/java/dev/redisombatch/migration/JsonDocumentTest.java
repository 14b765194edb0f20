package dev.redisombatch.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Documents and changes of JSON documents: paths, values compared as JSON, removals in a safe order. */
class JsonDocumentTest {

    private final Document customer = Document.json(":app.models.Customer:1", """
            {"name":"Ada","created_at":"2024-01-15T10:30:00","address":{"city":"Paris","since":"2020-02-01"},
             "orders":[{"id":1,"at":"2024-01-16"},{"id":2},{"id":3,"at":1705392000}]}""");

    @Test
    void aJsonDocumentIsItsTopLevelMembersAsJsonText() {
        assertTrue(customer.isJson());
        assertEquals(Optional.of("\"Ada\""), customer.get("name"));
        assertEquals(Optional.of("\"2020-02-01\""), customer.at("address.since"));
        assertEquals(Optional.of("1705392000"), customer.at("orders[2].at"));
        assertEquals(List.of("orders[0].at", "orders[2].at"), customer.paths("orders[*].at"));
        assertEquals(List.of("address"), customer.paths("address"));
        assertEquals(List.of(), customer.paths("nickname"));
        assertNotEquals(Document.of(customer.key(), customer.fields()), customer, "a hash is not a JSON document");
        assertThrows(IllegalArgumentException.class, () -> Document.json("k", "[1,2]"));
    }

    @Test
    void aHashReadsPathsAsPlainFieldNames() {
        Document hash = Document.of("h", Map.of("address.since", "x"));
        assertEquals(Optional.of("x"), hash.at("address.since"));
        assertEquals(List.of("address.since"), hash.paths("address.since"));
    }

    @Test
    void theEffectiveChangeComparesValuesAsJson() {
        Document stamped = Document.json("k", "{\"at\":1705314600,\"gone\":null}");
        Change change =
                Change.builder().set("at", "1705314600.0").remove("missing").build();
        assertTrue(change.effectiveOn(stamped).isNone(), "the same number, printed as 2.x prints it");
        Change real = Change.builder().set("at", "1705314601").remove("gone").build();
        assertEquals(real, real.effectiveOn(stamped));
    }

    @Test
    void applyingSetsNestedPathsAndRemovesElementsByTheirIndexesAsRead() {
        Change change = Change.builder()
                .set("address.since", "1580515200")
                .set("orders[0].at", "1705363200")
                .remove("orders[0]")
                .remove("orders[2]")
                .build();
        Document after = change.applyTo(customer);
        assertEquals(Optional.of("1580515200"), after.at("address.since"));
        assertEquals(
                Optional.of("[{\"id\":2}]"),
                after.at("orders"),
                "elements 0 and 2 of the document as read are gone, element 1 stays");
    }

    @Test
    void aPathWhoseParentIsMissingCannotBeApplied() {
        Change change = Change.set("billing.since", "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> change.applyTo(customer));
        assertTrue(e.getMessage().contains("billing"), e.getMessage());
    }

    @Test
    void theTesterNarrowsToTheMembersPathsStartFromAndRefusesOthers() {
        DataMigration sinceToNumber = new DataMigration() {
            public String id() {
                return "since";
            }

            public KeySelector keys() {
                return KeySelector.jsonDocuments(":app.models.Customer:*");
            }

            public Set<String> fieldsRead() {
                return Set.of("address.since");
            }

            public Change up(Document document) {
                assertEquals(Set.of("address"), document.fields().keySet());
                return document.at("address.since")
                        .filter(v -> v.startsWith("\""))
                        .map(v -> Change.set("address.since", "1580515200"))
                        .orElse(Change.none());
            }
        };
        MigrationTester tester = MigrationTester.of(sinceToNumber);
        Document after = tester.assertMigrates(customer, customer.toJson().replace("\"2020-02-01\"", "1580515200.0"));
        tester.assertIdempotent(customer);
        assertEquals(customer.get("orders"), after.get("orders"));

        DataMigration writesName = new DataMigration() {
            public String id() {
                return "name";
            }

            public KeySelector keys() {
                return KeySelector.jsonDocuments("*");
            }

            public Set<String> fieldsRead() {
                return Set.of("address.city");
            }

            public Change up(Document document) {
                return Change.set("name", "\"Bob\"");
            }
        };
        AssertionError refused = assertThrows(
                AssertionError.class, () -> MigrationTester.of(writesName).changeFor(customer));
        assertTrue(refused.getMessage().contains("[name]"), refused.getMessage());
        assertFalse(MigrationTester.of(writesName).asRead(customer).has("name"));
    }
}
