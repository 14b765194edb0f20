package dev.redisombatch.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.MigrationTester;
import dev.redisombatch.migration.RedisType;
import dev.redisombatch.migration.Transform;
import org.junit.jupiter.api.Test;

class RenameZipToPostalCodeTest {

    private static final String KEY = ":app.models.Customer:01HF7YAT00ABCDEFGHJKMNPQRS";

    private final RenameZipToPostalCode migration = new RenameZipToPostalCode();
    private final MigrationTester tester = MigrationTester.of(migration);

    private static Document customer(String json) {
        return Document.json(KEY, json);
    }

    @Test
    void selectsCustomerJsonDocuments() {
        assertEquals(RedisType.JSON, migration.keys().type());
    }

    @Test
    void renamesInTheAddressAndInEveryOrderAndLeavesTheRestAlone() {
        Document stored = customer("""
                {"pk":"1","name":"Ada","address":{"street":"1 Rue","zip":"75001","since":1580515200},
                 "orders":[{"id":1,"zip":"69001"},{"id":2},{"id":3,"zip":"13001","total":12.5}]}""");
        tester.assertMigrates(stored, """
                {"pk":"1","name":"Ada","address":{"street":"1 Rue","postal_code":"75001","since":1580515200},
                 "orders":[{"id":1,"postal_code":"69001"},{"id":2},{"id":3,"total":12.5,"postal_code":"13001"}]}""");
        tester.assertIdempotent(stored);
    }

    @Test
    void removesALeftoverZipAndKeepsOneThatDisagrees() {
        tester.assertMigrates(
                customer("{\"address\":{\"zip\":\"75001\",\"postal_code\":\"75001\"}}"),
                "{\"address\":{\"postal_code\":\"75001\"}}");
        tester.assertUnchanged(customer("{\"address\":{\"zip\":\"75001\",\"postal_code\":\"75002\"}}"));
    }

    @Test
    void leavesDocumentsWithoutAddressesOrWithOddShapesAlone() {
        tester.assertUnchanged(customer("{\"pk\":\"1\"}"));
        tester.assertUnchanged(customer("{\"address\":\"1 Rue de Rivoli\",\"orders\":\"none\"}"));
        tester.assertUnchanged(customer("{\"address\":null,\"orders\":[]}"));
    }

    @Test
    void rollsBack() {
        Document stored = customer("{\"address\":{\"zip\":\"75001\"},\"orders\":[{\"zip\":\"1\"}]}");
        Document migrated = tester.migrate(stored);
        Transform down = migration.down().orElseThrow();
        Change back = down.apply(migrated).effectiveOn(migrated);
        assertTrue(back.applyTo(migrated).toJson().contains("\"zip\":\"75001\""), back.toString());
        assertEquals(2, back.fieldsToSet().size());
    }

    @Test
    void theTesterRefusesAPathOutsideWhatItReads() {
        assertThrows(
                AssertionError.class,
                () -> MigrationTester.of(new RenameZipToPostalCode() {
                            @Override
                            public Change up(Document document) {
                                return Change.set("name", "\"x\"");
                            }
                        })
                        .changeFor(customer("{\"name\":\"Ada\"}")));
    }
}
