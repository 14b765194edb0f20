package dev.redisombatch.batch.support;

import dev.redisombatch.batch.demo.DemoCustomers;
import dev.redisombatch.batch.redis.CommandName;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Redis OM {@code JsonModel}-shaped customers for the tests ({@code :app.models.Customer:<pk>}, an embedded address, a
 * list of orders, ISO datetimes at three depths), harder than the demo's ({@code DemoCustomers}, which tests write
 * through the job): numbered keys (so a test can name customer {@code i}), invalid values, numbers and nulls already
 * at the datetime paths, odd shapes, values of every JSON type, names that need escaping. For both, an independent
 * check, parsed with Jackson, of what the datetime migration must make of each.
 */
public final class Customers {

    public static final String PREFIX = DemoCustomers.KEY_PREFIX;
    public static final String PATTERN = PREFIX + "*";
    /** The paths the built-in is given for these documents. */
    public static final String FIELDS = DemoCustomers.DATETIME_FIELDS;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] NAMES = {
        "Ada Lovelace", "Zoë \"Zo\" O'Neil", "Jürgen\\Back", "李雷", "Émile 🚀", "tab\there"
    };
    private static final String[] CITIES = {"Paris", "Lyon", "Zürich", "Kraków", "São Paulo"};

    private Customers() {}

    /** The key of customer {@code i}. */
    public static String key(int i) {
        return PREFIX + String.format("01HCUST%08d", i);
    }

    /** Writes customers 0 to {@code count - 1} with JSON.SET, pipelined; every 500th is invalid (created_at a word). */
    public static void load(RedisServer server, int count) {
        RedisClient client = RedisClient.create(server.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> redis = connection.async();
            List<RedisFuture<String>> replies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                replies.add(redis.dispatch(
                        new CommandName("JSON.SET"),
                        new StatusOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8)
                                .addKey(key(i))
                                .add(".")
                                .add(document(i))));
                if (replies.size() == 1000 || i == count - 1) {
                    connection.flushCommands();
                    for (RedisFuture<String> reply : replies) {
                        reply.get(30, TimeUnit.SECONDS);
                    }
                    replies.clear();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("loading customers", e);
        } finally {
            ClientShutdown.of(client);
        }
    }

    /** Customer {@code i} as its JSON text: the same for the same {@code i}. */
    public static String document(int i) {
        Random random = new Random(i);
        ObjectNode customer = JsonNodeFactory.instance.objectNode();
        customer.put("pk", key(i).substring(PREFIX.length()));
        customer.put("name", NAMES[i % NAMES.length]);
        customer.put("age", 18 + random.nextInt(70));
        customer.put("vip", random.nextBoolean());
        customer.putNull("nickname");
        if (i % 500 == 499) {
            customer.put("created_at", "yesterday");
        } else {
            datetime(customer, "created_at", random);
        }
        int shape = random.nextInt(20);
        if (shape == 0) {
            customer.put("address", "12 Rue de Rivoli, Paris");
        } else if (shape != 1) {
            ObjectNode address = customer.putObject("address");
            address.put("street", (1 + random.nextInt(200)) + " Main St");
            address.put("city", CITIES[random.nextInt(CITIES.length)]);
            address.put("zip", String.format("%05d", random.nextInt(100_000)));
            datetime(address, "since", random);
            address.putArray("geo").add(2.35 + random.nextInt(100) / 100.0).add(48.85);
        }
        ArrayNode orders = customer.putArray("orders");
        for (int o = random.nextInt(4); o > 0; o--) {
            ObjectNode order = orders.addObject();
            order.put("id", random.nextInt(1_000_000));
            order.put("total", random.nextInt(100_000) / 100.0);
            datetime(order, "created_at", random);
        }
        customer.putArray("tags").add("t" + random.nextInt(5)).add("created_at");
        return JSON.writeValueAsString(customer);
    }

    /** An ISO datetime, date, offset datetime or a number already; sometimes absent or null. */
    private static void datetime(ObjectNode parent, String name, Random random) {
        int kind = random.nextInt(20);
        String day = String.format(
                "20%02d-%02d-%02d", 10 + random.nextInt(15), 1 + random.nextInt(12), 1 + random.nextInt(28));
        String time = String.format("T%02d:%02d:%02d", random.nextInt(24), random.nextInt(60), random.nextInt(60));
        switch (kind) {
            case 0 -> {}
            case 1 -> parent.putNull(name);
            case 2 -> parent.put(name, 1_600_000_000 + random.nextInt(100_000_000));
            case 3 -> parent.put(name, 1_600_000_000.5 + random.nextInt(100_000_000));
            case 4 -> parent.put(name, day);
            case 5 -> parent.put(name, day + time + "Z");
            case 6 -> parent.put(name, day + time + ".123456+02:00");
            default -> parent.put(name, day + time);
        }
    }

    /** Every customer's document as JSON.GET NOESCAPE returns it, by key; absent keys left out. */
    public static Map<String, String> snapshot(RedisServer server, int count) {
        RedisClient client = RedisClient.create(server.url());
        Map<String, String> documents = new HashMap<>();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> redis = connection.async();
            for (int from = 0; from < count; from += 1000) {
                List<RedisFuture<String>> replies = new ArrayList<>();
                for (int i = from; i < Math.min(count, from + 1000); i++) {
                    replies.add(redis.dispatch(
                            new CommandName("JSON.GET"),
                            new ValueOutput<>(StringCodec.UTF8),
                            new CommandArgs<>(StringCodec.UTF8)
                                    .addKey(key(i))
                                    .add("NOESCAPE")
                                    .add(".")));
                }
                connection.flushCommands();
                for (int i = 0; i < replies.size(); i++) {
                    String json = replies.get(i).get(30, TimeUnit.SECONDS);
                    if (json != null) {
                        documents.put(key(from + i), json);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("reading customers", e);
        } finally {
            ClientShutdown.of(client);
        }
        return documents;
    }

    /** Every document under {@link #PATTERN}, as JSON.GET NOESCAPE returns it, by key, whatever the keys are. */
    public static Map<String, String> snapshotAll(RedisServer server) {
        RedisClient client = RedisClient.create(server.url());
        Map<String, String> documents = new HashMap<>();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = connection
                        .sync()
                        .scan(cursor, ScanArgs.Builder.matches(PATTERN).limit(1000));
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            connection.setAutoFlushCommands(false);
            List<RedisFuture<String>> replies = new ArrayList<>();
            for (String key : keys) {
                replies.add(connection
                        .async()
                        .dispatch(
                                new CommandName("JSON.GET"),
                                new ValueOutput<>(StringCodec.UTF8),
                                new CommandArgs<>(StringCodec.UTF8)
                                        .addKey(key)
                                        .add("NOESCAPE")
                                        .add(".")));
            }
            connection.flushCommands();
            for (int i = 0; i < keys.size(); i++) {
                documents.put(keys.get(i), replies.get(i).get(30, TimeUnit.SECONDS));
            }
        } catch (Exception e) {
            throw new IllegalStateException("reading customers", e);
        } finally {
            ClientShutdown.of(client);
        }
        return documents;
    }

    /**
     * Customers 0 to {@code count - 1} whose document in {@code after} is not what the built-in makes of the one in
     * {@code before}: converted where it must be, left as it was where it holds a value the built-in rejects.
     */
    public static long wronglyMigrated(Map<String, String> before, Map<String, String> after, int count) {
        long wrong = 0;
        for (int i = 0; i < count; i++) {
            String key = key(i);
            boolean right = invalid(i)
                    ? same(parse(before.get(key)), parse(after.get(key)))
                    : migratedRight(before.get(key), after.get(key));
            wrong += right ? 0 : 1;
        }
        return wrong;
    }

    /** Whether customer {@code i} holds a value the built-in must reject (so it stays as it is). */
    public static boolean invalid(int i) {
        return i % 500 == 499;
    }

    /** What the datetime migration must make of a document: each ISO string at the listed paths a number. */
    public static JsonNode expected(String before) {
        JsonNode document = JSON.readTree(before);
        convert(document, "created_at");
        if (document.get("address") instanceof ObjectNode address) {
            convert(address, "since");
        }
        if (document.get("orders") instanceof ArrayNode orders) {
            orders.forEach(order -> convert(order, "created_at"));
        }
        return document;
    }

    /** How many values {@link #expected} converts in a document: 0 means the document needs no change. */
    public static int isoValues(String before) {
        JsonNode document = JSON.readTree(before);
        int count = iso(document.get("created_at")) ? 1 : 0;
        if (document.get("address") instanceof ObjectNode address && iso(address.get("since"))) {
            count++;
        }
        if (document.get("orders") instanceof ArrayNode orders) {
            for (JsonNode order : orders) {
                count += iso(order.get("created_at")) ? 1 : 0;
            }
        }
        return count;
    }

    private static boolean iso(JsonNode value) {
        return value != null && value.isString() && !value.stringValue().equals("yesterday");
    }

    private static void convert(JsonNode parent, String name) {
        if (parent instanceof ObjectNode object && iso(object.get(name))) {
            object.put(name, Users.expectedSeconds(object.get(name).stringValue()));
        }
    }

    /** Parses a document with Jackson. */
    public static JsonNode parse(String json) {
        return JSON.readTree(json);
    }

    /** Whether two documents are the same JSON value: members in any order, numbers by value. */
    public static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            // As doubles: that is what RedisJSON keeps, and ReJSON 1.x prints 17 digits of it.
            return a.decimalValue().compareTo(b.decimalValue()) == 0 || a.doubleValue() == b.doubleValue();
        }
        if (a.isObject() && b.isObject()) {
            return a.size() == b.size() && a.propertyNames().stream().allMatch(name -> same(a.get(name), b.get(name)));
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Whether a migrated document is what the datetime migration must make of {@code before}. */
    public static boolean migratedRight(String before, String after) {
        return after != null && same(expected(before), parse(after));
    }
}
