package dev.redisombatch.batch.redis;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Retries Redis calls that failed for reasons that say nothing about the data: a dropped or refused connection, a
 * timeout, a server still LOADING its dataset or BUSY with a script. Every call retried this way must be idempotent
 * (reads, HSET of fixed values, HDEL, DEL): a write may have reached the server before the connection dropped.
 */
public final class TransientFaults {

    private final RetryTemplate retryTemplate;

    public TransientFaults(int maxRetries) {
        RetryPolicy policy = RetryPolicy.builder()
                .maxRetries(maxRetries)
                .delay(Duration.ofMillis(200))
                .multiplier(2)
                .maxDelay(Duration.ofSeconds(5))
                .predicate(TransientFaults::isTransient)
                .build();
        this.retryTemplate = new RetryTemplate(policy);
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RedisConnectionException || t instanceof RedisCommandTimeoutException
                    || t instanceof RedisLoadingException || t instanceof RedisBusyException
                    || t instanceof IOException) {
                return true;
            }
            if (t instanceof RedisCommandExecutionException) {
                String message = String.valueOf(t.getMessage());
                return message.startsWith("TRYAGAIN") || message.startsWith("MASTERDOWN")
                        || message.startsWith("CLUSTERDOWN");
            }
            // Lettuce fails in-flight commands with a bare RedisException when the connection drops under them.
            if (t.getClass() == RedisException.class && String.valueOf(t.getMessage()).startsWith("Connection")) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code call}, retrying transient faults with backoff; other failures, and the last one, propagate. */
    public <T> T call(String what, Supplier<T> call) {
        try {
            return retryTemplate.execute(new org.springframework.core.retry.Retryable<T>() {
                @Override
                public T execute() {
                    return call.get();
                }

                @Override
                public String getName() {
                    return what;
                }
            });
        } catch (RetryException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new RedisException(what + " failed: " + cause, cause);
        }
    }
}
