package dev.redisombatch.batch.redis;

import dev.redisombatch.batch.failure.Failures;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;

/**
 * Retries Redis calls that failed for reasons that say nothing about the data or the configuration: a dropped or
 * refused connection, a timeout, a server still LOADING its dataset or BUSY with a script, out of memory for now
 * (OOM), a master turned replica (READONLY), a cluster that says TRYAGAIN, MASTERDOWN or CLUSTERDOWN. A permanent refusal (wrong password, missing permission, unknown database, TLS
 * trust) is never retried. Each retry is logged once, with its cause. Every call retried this way must be idempotent:
 * a write may have reached the server before the connection dropped.
 *
 * <p>There is one retry loop per call: whatever the call does inside (connecting included) is not retried again.
 */
public final class TransientFaults {

    private static final Logger log = LoggerFactory.getLogger(TransientFaults.class);
    static final Duration FIRST_DELAY = Duration.ofMillis(200);
    static final Duration MAX_DELAY = Duration.ofSeconds(4);

    private final int maxRetries;
    private final RetryTemplate retryTemplate;

    public TransientFaults(int maxRetries) {
        this(maxRetries, () -> false);
    }

    /** @param stopRequested when true, nothing more is retried: a stopping run does not wait for a server */
    public TransientFaults(int maxRetries, BooleanSupplier stopRequested) {
        this.maxRetries = maxRetries;
        RetryPolicy policy = RetryPolicy.builder()
                .maxRetries(maxRetries)
                .delay(FIRST_DELAY)
                .multiplier(2)
                .maxDelay(MAX_DELAY)
                .predicate(failure -> isTransient(failure) && !stopRequested.getAsBoolean())
                .build();
        this.retryTemplate = new RetryTemplate(policy);
        retryTemplate.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState state) {
                // Spring's RetryTemplate counts the retry before telling its listener about it.
                log.warn(
                        "{} failed ({}); retry {} of {}",
                        retryable.getName(),
                        Failures.describe(state.getLastException()),
                        state.getRetryCount(),
                        TransientFaults.this.maxRetries);
            }
        });
    }

    public static boolean isTransient(Throwable failure) {
        if (Failures.isPermanentRedisRefusal(failure)) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RedisConnectionException
                    || t instanceof RedisCommandTimeoutException
                    || t instanceof RedisLoadingException
                    || t instanceof RedisBusyException
                    || t instanceof IOException) {
                return true;
            }
            if (t instanceof RedisCommandExecutionException) {
                return isTransientReply(String.valueOf(t.getMessage()));
            }
            // Lettuce fails in-flight commands with a bare RedisException when the connection drops under them,
            // and rejects commands with one while it reconnects.
            if (t.getClass() == RedisException.class
                    && (String.valueOf(t.getMessage()).startsWith("Connection")
                            || String.valueOf(t.getMessage()).startsWith("Currently not connected"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an error reply says the server cannot do it now but may soon: out of memory (a write refused over
     * {@code maxmemory}), a master turned replica (READONLY), a cluster or a master changing (a MOVED or ASK that
     * reached the caller: Lettuce follows redirects, but one can be lost while slots move), a dataset loading, a
     * script or a module busy.
     */
    public static boolean isTransientReply(String error) {
        return TRANSIENT_REPLIES.stream().anyMatch(error::startsWith);
    }

    private static final List<String> TRANSIENT_REPLIES = List.of(
            "OOM ",
            "READONLY ",
            "TRYAGAIN",
            "MASTERDOWN",
            "CLUSTERDOWN",
            "LOADING",
            "BUSY",
            "NOREPLICAS",
            "MOVED ",
            "ASK ");

    /** Runs {@code call}, retrying transient faults with backoff; other failures, and the last one, propagate. */
    public <T> T call(String what, Supplier<T> call) {
        try {
            return retryTemplate.execute(new Retryable<T>() {
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
