package dev.redisombatch.batch.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.redis.CommandName;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.ClientShutdown;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code migrateData} then {@code rollback} of the built-in over Redis OM {@code JsonModel} documents (a top-level
 * datetime, a date in an embedded object, datetimes in a list of objects) against a real RedisJSON (skipped, with the
 * reason, when none is given). Documents are read back with Jackson, not with the tool's own JSON code.
 */
class JsonDatetimeRollbackIT {

    private static final String ID = DatetimeFieldsToTimestamps.ID;
    private static final String PREFIX = ":app.models.Customer:";
    private static final int CUSTOMERS = 5_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final RedisServer redis = RedisServer.withJson();

    @TempDir
    Path work;

    private static String key(int i) {
        return PREFIX + String.format("%08d", i);
    }

    /** Customer {@code i}: ISO values at three depths, each from {@link IsoSpellings}. */
    private static String document(int i) {
        ObjectNode customer = JsonNodeFactory.instance.objectNode();
        customer.put("pk", String.format("%08d", i));
        customer.put("created_at", IsoSpellings.datetime(i));
        customer.putObject("address").put("city", "Paris").put("since", IsoSpellings.date(i));
        var orders = customer.putArray("orders");
        for (int o = 1; o <= i % 3; o++) {
            orders.addObject().put("total", 12.5).put("created_at", IsoSpellings.datetime(i * 7 + o));
        }
        return JSON.writeValueAsString(customer);
    }

    private InProcessRun run(String job, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=" + job,
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--partitions=4"));
        args.addAll(List.of(extra));
        return InProcessRun.of(args.toArray(String[]::new));
    }

    @Test
    void rollbackGivesBackPythonSpelledValuesByteForByteAndOthersAsTheSameInstant() throws Exception {
        redis.commands().flushall();
        Map<String, String> before = new LinkedHashMap<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            before.put(key(i), document(i));
        }
        write(before);

        InProcessRun migrated = run(
                "migrateData",
                "--datetime.keys=" + PREFIX + "*",
                "--datetime.fields=created_at,address.since,orders[*].created_at",
                "--datetime.dates=address.since",
                "--datetime.zone=" + IsoSpellings.ZONE);
        assertThat(migrated.exitCode()).as(migrated.output()).isZero();
        Map<String, String> converted = read(before.keySet());
        assertThat(converted.values())
                .allSatisfy(
                        json -> assertThat(JSON.readTree(json).get("created_at").isNumber())
                                .as(json)
                                .isTrue());

        InProcessRun rollback = run("rollback", "--migration=" + ID);

        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), ID))
                .isFalse();
        Map<String, String> restored = read(before.keySet());
        IsoSpellings.Comparison comparison = new IsoSpellings.Comparison();
        long pythonSpelled = 0;
        long values = 0;
        for (var entry : before.entrySet()) {
            JsonNode original = JSON.readTree(entry.getValue());
            JsonNode back = JSON.readTree(restored.get(entry.getKey()));
            List<String[]> pairs = new ArrayList<>();
            pairs.add(new String[] {"created_at", text(original.get("created_at")), text(back.get("created_at"))});
            pairs.add(new String[] {
                "address.since",
                text(original.get("address").get("since")),
                text(back.get("address").get("since"))
            });
            for (int o = 0; o < original.get("orders").size(); o++) {
                pairs.add(new String[] {
                    "orders[" + o + "].created_at",
                    text(original.get("orders").get(o).get("created_at")),
                    text(back.get("orders").get(o).get("created_at"))
                });
            }
            for (String[] pair : pairs) {
                boolean dateField = pair[0].equals("address.since");
                comparison.compare(entry.getKey() + " " + pair[0], pair[1], pair[2], dateField);
                pythonSpelled += IsoSpellings.pythonSpelling(pair[1], dateField) ? 1 : 0;
                values++;
            }
            // Everything else as it was: with the values put back, the documents are the same JSON.
            ((ObjectNode) back).put("created_at", original.get("created_at").stringValue());
            ((ObjectNode) back.get("address"))
                    .put("since", original.get("address").get("since").stringValue());
            for (int o = 0; o < original.get("orders").size(); o++) {
                ((ObjectNode) back.get("orders").get(o))
                        .put(
                                "created_at",
                                original.get("orders").get(o).get("created_at").stringValue());
            }
            assertThat(back).as(entry.getKey()).isEqualTo(original);
        }
        assertThat(comparison.notByteForByte).as(comparison.examples.toString()).isZero();
        assertThat(comparison.notSameInstant).as(comparison.examples.toString()).isZero();
        assertThat(comparison.byteForByte).isEqualTo(pythonSpelled).isGreaterThan(CUSTOMERS);
        assertThat(comparison.sameInstant).isEqualTo(values - pythonSpelled).isGreaterThan(CUSTOMERS / 4);
    }

    /** A JSON string's text; null for anything else (a number left by a rollback would then fail to compare). */
    private static String text(JsonNode value) {
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private void write(Map<String, String> documents) throws Exception {
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> commands = connection.async();
            List<RedisFuture<String>> replies = new ArrayList<>();
            documents.forEach((key, json) -> replies.add(commands.dispatch(
                    new CommandName("JSON.SET"),
                    new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).addKey(key).add(".").add(json))));
            connection.flushCommands();
            for (RedisFuture<String> reply : replies) {
                assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("OK");
            }
        } finally {
            ClientShutdown.of(client);
        }
    }

    private Map<String, String> read(Iterable<String> keys) throws Exception {
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> commands = connection.async();
            Map<String, RedisFuture<String>> replies = new LinkedHashMap<>();
            for (String key : keys) {
                replies.put(
                        key,
                        commands.dispatch(
                                new CommandName("JSON.GET"),
                                new ValueOutput<>(StringCodec.UTF8),
                                new CommandArgs<>(StringCodec.UTF8).addKey(key).add(".")));
            }
            connection.flushCommands();
            Map<String, String> documents = new LinkedHashMap<>();
            for (var reply : replies.entrySet()) {
                documents.put(reply.getKey(), reply.getValue().get(30, TimeUnit.SECONDS));
            }
            return documents;
        } finally {
            ClientShutdown.of(client);
        }
    }
}
