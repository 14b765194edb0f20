package dev.redisombatch.batch.redis;

import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One binary-safe connection used by one thread at a time, with automatic flushing off: commands queue up locally
 * and go to the server in one write when {@link #flush} is called, which is what makes a page of keys cost one round
 * trip. Keys and values are bytes, exactly as Redis holds them.
 */
public final class PipelinedConnection implements AutoCloseable {

    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final Duration timeout;

    PipelinedConnection(StatefulRedisConnection<byte[], byte[]> connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
        connection.setAutoFlushCommands(false);
    }

    public RedisAsyncCommands<byte[], byte[]> commands() {
        return connection.async();
    }

    public void flush() {
        connection.flushCommands();
    }

    /** Waits for one queued command; call {@link #flush} first. */
    public <T> T await(RedisFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : new RedisException(cause);
        } catch (TimeoutException e) {
            throw new RedisCommandTimeoutException("no reply within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(e);
        }
    }

    /**
     * Flushes and waits until every future is done (successfully or not), without throwing per-command errors.
     * Redis answers the commands of a connection in order, so the thread sleeps once, on the last one, rather than
     * being woken for each reply.
     */
    public void flushAndSettle(List<? extends RedisFuture<?>> futures) {
        flush();
        if (futures.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        settle(futures.get(futures.size() - 1), deadline);
        for (RedisFuture<?> future : futures) {
            if (!future.isDone()) {
                settle(future, deadline);
            }
        }
    }

    private static void settle(RedisFuture<?> future, long deadline) {
        try {
            future.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
        } catch (ExecutionException ignored) {
            // the caller inspects each future
        } catch (TimeoutException e) {
            throw new RedisCommandTimeoutException("no reply within the timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
