package dev.redisombatch.batch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.Customers;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The JSON quick start end to end against a real RedisJSON ({@link RedisServer#withJson}; skipped, with the reason,
 * when none is given): {@code generateDemoData --model=customer}, then the built-in over the three datetime paths the
 * docs name, every date at every depth counted before and checked after with Jackson.
 */
class DemoCustomersIT {

    private static final int CUSTOMERS = 2_000;

    @RegisterExtension
    static final RedisServer redis = RedisServer.withJson();

    @TempDir
    Path work;

    @Test
    void generatedCustomersAreMigratedAtEveryDepthByTheBuiltIn() {
        redis.commands().flushall();
        InProcessRun generated = InProcessRun.of(
                "--job=generateDemoData", "--model=customer", "--count=" + CUSTOMERS, "--redis.url=" + redis.url());
        assertThat(generated.exitCode()).as(generated.output()).isZero();
        assertThat(generated.stdout()).contains("wrote 2000 demo customers under :app.models.Customer:*");
        Map<String, String> before = Customers.snapshotAll(redis);
        assertThat(before).hasSize(CUSTOMERS);
        long[] isoBefore = valuesByDepth(before, JsonNode::isString);
        assertThat(isoBefore)
                .as("created_at, address.since, orders[*].created_at")
                .doesNotContain(0);
        assertThat(valuesByDepth(before, JsonNode::isNumber)).containsOnly(0);
        long needingChange = before.values().stream()
                .filter(json -> Customers.isoValues(json) > 0)
                .count();

        InProcessRun migrated = InProcessRun.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=:app.models.Customer:*",
                "--datetime.fields=created_at,address.since,orders[*].created_at");

        assertThat(migrated.exitCode()).as(migrated.output()).isZero();
        assertThat(changed(migrated.stdout())).isEqualTo(needingChange);
        Map<String, String> after = Customers.snapshotAll(redis);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(valuesByDepth(after, JsonNode::isString)).containsOnly(0);
        assertThat(valuesByDepth(after, JsonNode::isNumber))
                .as("every ISO value at every depth is a number now")
                .containsExactly(isoBefore);
        assertThat(before.keySet())
                .as("each the instant its ISO value named (Customers.expected, parsed with Jackson)")
                .allSatisfy(key -> assertThat(Customers.migratedRight(before.get(key), after.get(key)))
                        .as(key)
                        .isTrue());
        System.out.printf(
                "demo customers: %d documents, %d created_at, %d address.since, %d orders[*].created_at converted%n",
                CUSTOMERS, isoBefore[0], isoBefore[1], isoBefore[2]);
    }

    /** How many values at created_at, address.since and orders[*].created_at pass {@code test}, in that order. */
    private static long[] valuesByDepth(Map<String, String> documents, Predicate<JsonNode> test) {
        long[] counts = new long[3];
        for (String json : documents.values()) {
            JsonNode customer = Customers.parse(json);
            counts[0] += matches(customer.get("created_at"), test);
            counts[1] += matches(customer.get("address").get("since"), test);
            for (JsonNode order : customer.get("orders")) {
                counts[2] += matches(order.get("created_at"), test);
            }
        }
        return counts;
    }

    private static int matches(JsonNode value, Predicate<JsonNode> test) {
        return value != null && test.test(value) ? 1 : 0;
    }

    private static long changed(String summary) {
        Matcher matcher = Pattern.compile("(\\d+) changed").matcher(summary);
        assertThat(matcher.find()).as(summary).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
