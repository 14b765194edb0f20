package dev.redisombatch.batch.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.ClientShutdown;
import dev.redisombatch.batch.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hash with a field expiry (Redis 7.4+) is not read from its payload, whose form keeps the expiries: a copy reads it
 * with commands and restores it as the source serialised it, expiries and all.
 */
class HashPayloadFieldExpiryTest {

    @RegisterExtension
    static final RedisServer redis = RedisServer.withFieldExpiration();

    @Test
    void readsNoHashWithFieldExpiries() {
        RedisCommands<String, String> commands = redis.commands();
        commands.flushall();
        commands.hset("plain", "name", "Ada");
        commands.hset("expiring", "name", "Ada");
        commands.hset("expiring", "token", "t");
        assertThat(commands.hpexpire("expiring", 60_000, "token")).containsExactly(1L);
        RedisClient client = RedisClient.create(redis.url());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            assertThat(HashPayload.read(connection.sync().dump(bytes("plain")))).isNotNull();
            assertThat(HashPayload.read(connection.sync().dump(bytes("expiring"))))
                    .isNull();
        } finally {
            ClientShutdown.of(client);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
