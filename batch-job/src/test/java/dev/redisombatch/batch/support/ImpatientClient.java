package dev.redisombatch.batch.support;

import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.RedisSettings;
import java.time.Duration;

/**
 * The timeout-then-retry of the tool's own writes, on a real server: an endpoint whose calls time out well within
 * {@link #PAUSE}, for tests that pause the server's writes ({@link RedisServer#pauseWrites}) so that a write times
 * out, is sent again, and then runs twice. The pause is many times the timeout, so the first send is held by it
 * however slow the machine.
 */
public final class ImpatientClient {

    public static final Duration TIMEOUT = Duration.ofMillis(300);
    public static final Duration PAUSE = Duration.ofSeconds(3);

    private ImpatientClient() {}

    /** An endpoint on {@code redis} with {@link #TIMEOUT} per call and the default retries, already connected. */
    public static RedisEndpoint endpoint(RedisServer redis) {
        RedisEndpoint endpoint = new RedisEndpoint(RedisSettings.of(redis.url()).withTimeout(TIMEOUT));
        endpoint.call("PING", commands -> commands.ping());
        return endpoint;
    }
}
