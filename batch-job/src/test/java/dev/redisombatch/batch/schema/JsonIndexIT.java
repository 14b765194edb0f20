package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.Customers;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Schema migrations of {@code ON JSON} indexes ({@code $.path AS alias} fields) over Redis OM Customer documents,
 * against a Redis whose RediSearch indexes RedisJSON documents: {@code REDIS_SEARCH_JSON_URL}, a throwaway Redis 8 or
 * Redis Stack. Skipped with the reason otherwise: no such server could be had where this was written (RediSearch 2.6
 * indexes JSON only with RedisJSON 2.x), so these tests have not run yet.
 */
class JsonIndexIT {

    private static final int CUSTOMERS = 20_000;
    private static final String INDEX = ":app.models.Customer:index";
    private static final String CREATE = "20261201_000000_create_customers";
    private static final String ADD_TOTALS = "20261202_000000_add_order_totals";
    private static final String FIELDS = """
                - {name: pk, path: $.pk, type: TAG, separator: "|"}
                - {name: age, path: $.age, type: NUMERIC, sortable: true}
                - {name: address_city, path: $.address.city, type: TAG, separator: "|"}
            """;
    private static final String TOTALS = "    - {name: orders_total, path: \"$.orders[*].total\", type: NUMERIC}\n";

    @RegisterExtension
    static final RedisServer redis = RedisServer.withSearchOverJson();

    @TempDir
    Path work;

    @BeforeAll
    static void loadCustomers() {
        Customers.load(redis, CUSTOMERS);
    }

    @BeforeEach
    void startFromNoIndex() {
        SchemaRuns.forgetSchemaState(redis, INDEX + ":*");
    }

    private InProcessRun schema(String... extra) {
        return SchemaRuns.migrateSchema(redis.url(), work, extra);
    }

    private void writeMigration(String id, String mode, String previousFields, String newFields) throws IOException {
        SchemaRuns.writeMigration(
                work,
                id,
                INDEX,
                mode,
                previousFields == null ? null : definition("previous", previousFields),
                definition("new", newFields));
    }

    private static String definition(String key, String fields) {
        return key + ":\n  on: JSON\n  prefixes: [\"" + Customers.PREFIX + "\"]\n  fields:\n" + fields;
    }

    private static long count(String query) {
        return (Long) redis.search("FT.SEARCH", INDEX, query, "LIMIT", "0", "0").get(0);
    }

    /** Customers the generator put in a city, counted from the documents themselves (Jackson). */
    private static long inCity(String city) {
        return IntStream.range(0, CUSTOMERS)
                .mapToObj(Customers::document)
                .map(Customers::parse)
                .filter(document -> document.get("address") != null
                        && document.get("address").isObject()
                        && city.equals(document.get("address").get("city").stringValue()))
                .count();
    }

    private static long withOrders() {
        return IntStream.range(0, CUSTOMERS)
                .mapToObj(Customers::document)
                .map(Customers::parse)
                .map(document -> document.get("orders"))
                .filter(orders -> orders != null && orders.size() > 0)
                .count();
    }

    @Test
    void aJsonIndexIsCreatedReplacedWithoutDowntimeAndRolledBack() throws Exception {
        writeMigration(CREATE, null, null, FIELDS);
        writeMigration(ADD_TOTALS, "zero-downtime", FIELDS, FIELDS + TOTALS);

        InProcessRun run = schema("--command=run");

        assertThat(run.exitCode()).as(run.output()).isZero();
        LiveIndex live = LiveIndex.fromInfoReply(redis.search("FT.INFO", INDEX));
        assertThat(live.definition().keyType()).isEqualTo(IndexDefinition.KeyType.JSON);
        assertThat(live.numDocs()).isEqualTo(CUSTOMERS);
        assertThat(live.definition().fields())
                .extracting(IndexField::path)
                .contains("$.address.city", "$.orders[*].total");
        assertThat(count("@address_city:{Lyon}")).isEqualTo(inCity("Lyon"));
        assertThat(count("@orders_total:[0 +inf]")).isEqualTo(withOrders());
        assertThat(redis.search("FT._LIST")).containsExactly(INDEX + ":v2");

        InProcessRun rollback = schema("--command=rollback", "--migration=" + ADD_TOTALS);

        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        LiveIndex restored = LiveIndex.fromInfoReply(redis.search("FT.INFO", INDEX));
        assertThat(restored.definition().fields()).extracting(IndexField::name).doesNotContain("orders_total");
        assertThat(count("@address_city:{Lyon}")).isEqualTo(inCity("Lyon"));
        JsonNode any = Customers.parse(Customers.document(0));
        assertThat(count("@pk:{" + any.get("pk").stringValue() + "}")).isEqualTo(1);
    }
}
