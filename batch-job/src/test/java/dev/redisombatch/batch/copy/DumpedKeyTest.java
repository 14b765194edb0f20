package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.ClientShutdown;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.ServerBinaries;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The type a key's {@code DUMP} payload tells, against what {@code TYPE} says, for every type in its small and its
 * large encodings, on the Redis and the Valkey the tests run: it must be TYPE's answer or unknown (null), never another
 * type, or a copy would read a document of the wrong type.
 */
class DumpedKeyTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    static final RedisServer valkey = RedisServer.of(ServerBinaries.VALKEY);

    @Test
    void thePayloadTellsTheTypeTypeSaysOrNothingOnRedis() {
        assertTypesOn(redis);
    }

    @Test
    void thePayloadTellsTheTypeTypeSaysOrNothingOnValkey() {
        assertTypesOn(valkey);
    }

    private static void assertTypesOn(RedisServer server) {
        RedisCommands<String, String> commands = server.commands();
        commands.flushall();
        commands.set("string", "text");
        commands.set("int", "12345");
        commands.rpush("list", "a", "b");
        commands.sadd("intset", "1", "2");
        commands.sadd("set", "a", "b");
        commands.zadd("zset", 1, "a");
        commands.hset("hash", "f", "v");
        commands.xadd("stream", Map.of("f", "v"));
        for (int i = 0; i < 1_000; i++) {
            String member = "member " + i + " with a value long enough to leave the small encodings";
            commands.rpush("large-list", member);
            commands.sadd("large-set", member);
            commands.zadd("large-zset", i, member);
            commands.hset("large-hash", "field " + i, member);
        }
        RedisClient client = RedisClient.create(server.url());
        Map<String, String> told = new HashMap<>();
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            for (String key : commands.keys("*")) {
                byte[] payload = connection.sync().dump(key.getBytes(StandardCharsets.UTF_8));
                String type = new DumpedKey(key.getBytes(StandardCharsets.UTF_8), payload, 0).typeFromPayload();
                told.put(key, type);
                assertThat(type).as(key).isIn(null, commands.type(key));
            }
        } finally {
            ClientShutdown.of(client);
        }
        // The common encodings of hashes, which a copy converts, are told without a TYPE.
        assertThat(told)
                .containsEntry("hash", "hash")
                .containsEntry("large-hash", "hash")
                .hasSize(12);
    }
}
