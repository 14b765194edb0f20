package dev.redisombatch.batch.demo;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.CommandName;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.RedisEndpoint;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.util.Locale;
import java.util.SplittableRandom;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes customers shaped like Redis OM Python stores a {@code JsonModel} ({@code JSON.SET :app.models.Customer:<ULID>
 * . {...}}): an embedded {@code address} (an {@code EmbeddedJsonModel}, with its own pk) and a list of {@code orders},
 * with ISO datetimes at three depths ({@code created_at}, {@code address.since}, {@code orders[*].created_at}) in the
 * forms {@link DemoUsers#iso} mixes, each absent about 1 time in 100. The data the built-in's JSON paths and the
 * sample {@code RenameZipToPostalCode} (a {@code zip} in the address and in each order) are for. Deterministic for a
 * given seed. Needs RedisJSON.
 */
public final class DemoCustomers {

    public static final String KEY_PREFIX = ":app.models.Customer:";
    /** The paths of the ISO datetimes, as {@code --datetime.fields} takes them. */
    public static final String DATETIME_FIELDS = "created_at,address.since,orders[*].created_at";

    private static final CommandName JSON_SET = new CommandName("JSON.SET");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] CITIES = {"Paris", "Lyon", "Zürich", "Kraków", "São Paulo", "Reykjavík"};
    private static final String[] ITEMS = {"keyboard", "monitor", "notebook", "lamp", "chair", "headphones"};
    private static final long YEAR = 365L * 24 * 3600;
    private static final int MAX_ORDERS = 4;

    private DemoCustomers() {}

    /**
     * Writes {@code count} customers in pipelined batches and returns how many were written; a server without
     * {@code JSON.SET} is a configuration error (exit 2) before anything is written.
     */
    public static long write(RedisEndpoint redis, long count, long seed) {
        if (!redis.knowsCommand(JSON_SET.name())) {
            throw RedisOmBatchException.configuration("--model=customer writes RedisJSON documents, and this Redis ("
                    + redis.target() + ") does not know JSON.SET: it needs Redis 8, Redis Stack or the RedisJSON"
                    + " module loaded (--loadmodule); --model=user writes hashes to any Redis");
        }
        return PipelinedWrites.write(redis, count, seed, (connection, random) -> {
            ObjectNode customer = customer(random);
            return connection
                    .writes()
                    .dispatch(
                            JSON_SET,
                            new StatusOutput<>(ByteArrayCodec.INSTANCE),
                            new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                    .addKey(KeyText.bytes(
                                            KEY_PREFIX + customer.get("pk").stringValue()))
                                    .add(".")
                                    .add(KeyText.bytes(JSON.writeValueAsString(customer))));
        });
    }

    /** One customer document; draws the same values from the same random state. */
    static ObjectNode customer(SplittableRandom random) {
        long joined = DemoUsers.FROM + YEAR + random.nextLong(DemoUsers.SPAN - 2 * YEAR);
        String first = DemoUsers.FIRST[random.nextInt(DemoUsers.FIRST.length)];
        String last = DemoUsers.LAST[random.nextInt(DemoUsers.LAST.length)];
        ObjectNode customer = JsonNodeFactory.instance.objectNode();
        customer.put("pk", DemoUsers.ulid(joined * 1000 + random.nextInt(1000), random));
        customer.put("first_name", first);
        customer.put("last_name", last);
        customer.put("email", (first + "." + last + random.nextInt(10_000) + "@example.com").toLowerCase(Locale.ROOT));
        customer.put("age", 18 + random.nextInt(70));
        putDatetime(customer, "created_at", joined, random);

        ObjectNode address = customer.putObject("address");
        address.put("pk", DemoUsers.ulid(joined * 1000, random));
        address.put("street", (1 + random.nextInt(200)) + " Main Street");
        address.put("city", CITIES[random.nextInt(CITIES.length)]);
        String zip = String.format(Locale.ROOT, "%05d", random.nextInt(100_000));
        address.put("zip", zip);
        putDatetime(address, "since", joined - random.nextLong(YEAR), random);

        ArrayNode orders = customer.putArray("orders");
        for (int i = random.nextInt(MAX_ORDERS); i > 0; i--) {
            long placed = joined + random.nextLong(YEAR);
            ObjectNode order = orders.addObject();
            order.put("pk", DemoUsers.ulid(placed * 1000 + random.nextInt(1000), random));
            order.put("item", ITEMS[random.nextInt(ITEMS.length)]);
            order.put("total", (100 + random.nextInt(100_000)) / 100.0);
            order.put("zip", zip);
            putDatetime(order, "created_at", placed, random);
        }
        return customer;
    }

    private static void putDatetime(ObjectNode parent, String name, long epochSecond, SplittableRandom random) {
        String iso = DemoUsers.iso(epochSecond, random);
        if (iso != null) {
            parent.put(name, iso);
        }
    }
}
