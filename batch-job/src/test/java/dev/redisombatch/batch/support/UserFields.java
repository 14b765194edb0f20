package dev.redisombatch.batch.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Commands on every user at once, pipelined: for field TTLs, which {@link Users#snapshot} does not read. */
public final class UserFields {

    private UserFields() {}

    /** One command for one user, {@code index} counting the users from 0. */
    public interface UserCommand {
        RedisFuture<?> send(RedisAsyncCommands<String, String> redis, String key, int index);
    }

    /** Sends one command per user, pipelined, and waits for every reply. */
    public static void onEveryUser(RedisServer server, Iterable<String> keys, UserCommand command) throws Exception {
        RedisClient client = RedisClient.create(server.url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setAutoFlushCommands(false);
            List<RedisFuture<?>> replies = new ArrayList<>();
            int index = 0;
            for (String key : keys) {
                replies.add(command.send(connection.async(), key, index++));
                if (index % 1000 == 0) {
                    connection.flushCommands();
                }
            }
            connection.flushCommands();
            for (RedisFuture<?> reply : replies) {
                reply.get(30, TimeUnit.SECONDS);
            }
        } finally {
            ClientShutdown.of(client);
        }
    }

    /** Each user's expiry times of {@code fields}, in that order (Unix ms; -1 for none, -2 for no such field). */
    public static Map<String, List<Long>> expiryTimes(RedisServer server, Iterable<String> keys, String... fields)
            throws Exception {
        Map<String, RedisFuture<List<Long>>> replies = new HashMap<>();
        onEveryUser(server, keys, (redis, key, index) -> {
            RedisFuture<List<Long>> times = redis.hpexpiretime(key, fields);
            replies.put(key, times);
            return times;
        });
        Map<String, List<Long>> times = new HashMap<>();
        for (Map.Entry<String, RedisFuture<List<Long>>> reply : replies.entrySet()) {
            times.put(reply.getKey(), reply.getValue().get());
        }
        return times;
    }
}
