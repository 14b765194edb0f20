package dev.redisombatch.batch.data;

import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.RedisSettings;
import dev.redisombatch.batch.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the data-engine contract tests share, as a JUnit extension beside the class's {@link RedisServer}: an endpoint
 * on that server (as a run builds it), a pipelined connection for each test, a binary-safe synchronous connection
 * standing for "another client", and byte helpers. Connections open on first use, once the server is up (the order in
 * which JUnit runs two extensions' beforeAll is not the order they are declared in).
 */
public final class EngineFixture implements AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final RedisServer redis;
    private final boolean flushBeforeEach;
    private RedisEndpoint endpoint;
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> connection;
    private PipelinedConnection pipeline;

    private EngineFixture(RedisServer redis, boolean flushBeforeEach) {
        this.redis = redis;
        this.flushBeforeEach = flushBeforeEach;
    }

    /** Each test starts from an empty server. */
    public static EngineFixture emptiedForEachTest(RedisServer redis) {
        return new EngineFixture(redis, true);
    }

    /** The tests share what the class loads once. */
    public static EngineFixture sharedByTheClass(RedisServer redis) {
        return new EngineFixture(redis, false);
    }

    private synchronized void open() {
        if (endpoint == null) {
            endpoint = new RedisEndpoint(RedisSettings.of(redis.url()));
            client = RedisClient.create(redis.url());
            client.setDefaultTimeout(Duration.ofSeconds(30));
            connection = client.connect(ByteArrayCodec.INSTANCE);
        }
    }

    /** The endpoint a run would build for the class's server. */
    public RedisEndpoint endpoint() {
        open();
        return endpoint;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (flushBeforeEach) {
            redis.commands().flushall();
        }
        pipeline = endpoint().openPipelined();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        pipeline.close();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (endpoint != null) {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            endpoint.close();
        }
    }

    /** This test's pipelined connection, as a partition has one. */
    public PipelinedConnection pipeline() {
        return pipeline;
    }

    /** Another client's binary-safe connection. */
    public RedisCommands<byte[], byte[]> other() {
        open();
        return connection.sync();
    }

    public static byte[] bytes(String text) {
        return KeyText.bytes(text);
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Loads {@code count} hashes {@code prefix + i} in one pipeline. */
    public void loadHashes(String prefix, int count, IntFunction<Map<String, String>> fields) {
        try (PipelinedConnection pipeline = endpoint().openPipelined()) {
            List<RedisFuture<?>> replies = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Map<byte[], byte[]> hash = new LinkedHashMap<>();
                fields.apply(i).forEach((name, value) -> hash.put(bytes(name), bytes(value)));
                replies.add(pipeline.writes().hset(bytes(prefix + i), hash));
            }
            pipeline.flushAndSettle(replies);
            replies.forEach(pipeline::await);
        }
    }

    /** Loads {@code count} strings {@code prefix + i} in one pipeline. */
    public void loadStrings(String prefix, int count) {
        try (PipelinedConnection pipeline = endpoint().openPipelined()) {
            List<RedisFuture<?>> replies = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                replies.add(pipeline.writes().set(bytes(prefix + i), bytes("s" + i)));
            }
            pipeline.flushAndSettle(replies);
            replies.forEach(pipeline::await);
        }
    }

    /**
     * Lets the keyspace's hash table finish growing. Loading a few thousand keys leaves it rehashing for a while, and
     * SCAN may then answer the same cursor with other keys; each key lookup moves one bucket, and the server's cron
     * finishes the rest within a tick. Tests that compare pages read from the same cursor call this first.
     */
    public void settleRehashing() {
        try (PipelinedConnection pipeline = endpoint().openPipelined()) {
            List<RedisFuture<?>> replies = new ArrayList<>(8192);
            for (int i = 0; i < 8192; i++) {
                replies.add(pipeline.writes().exists(bytes("settle")));
            }
            pipeline.flushAndSettle(replies);
        }
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A hash as text, for assertions. */
    public Map<String, String> hash(String key) {
        Map<String, String> text = new LinkedHashMap<>();
        other().hgetall(bytes(key)).forEach((name, value) -> text.put(text(name), text(value)));
        return text;
    }
}
