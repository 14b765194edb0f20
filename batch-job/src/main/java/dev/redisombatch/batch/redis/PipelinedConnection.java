package dev.redisombatch.batch.redis;

import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One binary-safe connection used by one thread at a time, with automatic flushing off: commands queue up locally
 * and go to the server in one write when {@link #flush} is called, which is what makes a page of keys cost one round
 * trip. Keys and values are bytes, exactly as Redis holds them.
 *
 * <p>{@link #reads()} talk to the one server a partition walks (a cluster master, by node id); {@link #writes()} are
 * routed by each key's slot in a cluster (following MOVED and ASK), and are the same server otherwise.
 */
public final class PipelinedConnection implements AutoCloseable {

    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisClusterAsyncCommands<byte[], byte[]> reads;
    private final RedisClusterAsyncCommands<byte[], byte[]> writes;
    private final boolean readsOneClusterMaster;
    private final Duration timeout;

    /** @param readsOneClusterMaster {@code reads} go to one master of a cluster, without following redirects */
    PipelinedConnection(
            StatefulConnection<byte[], byte[]> connection,
            RedisClusterAsyncCommands<byte[], byte[]> reads,
            RedisClusterAsyncCommands<byte[], byte[]> writes,
            boolean readsOneClusterMaster,
            Duration timeout) {
        this.connection = connection;
        this.reads = reads;
        this.writes = writes;
        this.readsOneClusterMaster = readsOneClusterMaster;
        this.timeout = timeout;
        connection.setAutoFlushCommands(false);
    }

    /** Commands for the server this connection walks. */
    public RedisClusterAsyncCommands<byte[], byte[]> reads() {
        return reads;
    }

    /**
     * Whether {@link #reads()} talk to one master of a cluster (never following a redirect, so a command for a key it
     * does not hold comes back refused): what a call over keys of several of its slots can be sent on.
     */
    public boolean readsOneClusterMaster() {
        return readsOneClusterMaster;
    }

    /** Commands routed to whichever server holds each key. */
    public RedisClusterAsyncCommands<byte[], byte[]> writes() {
        return writes;
    }

    public void flush() {
        connection.flushCommands();
    }

    /** Waits for one queued command; call {@link #flush} first. */
    public <T> T await(RedisFuture<T> future) {
        try {
            return getFlushingRedirects(future, System.nanoTime() + timeout.toNanos());
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
     * being woken for each reply (in a cluster the replies of several servers come in any order, and the rest are
     * awaited in turn).
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

    private void settle(RedisFuture<?> future, long deadline) {
        try {
            getFlushingRedirects(future, deadline);
        } catch (ExecutionException ignored) {
            // the caller inspects each future
        } catch (TimeoutException e) {
            throw new RedisCommandTimeoutException("no reply within the timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(e);
        }
    }

    /**
     * Waits for a reply until the deadline, flushing again every {@value #REFLUSH_MILLIS} ms meanwhile: a command
     * Lettuce sends on to another node after the flush (MOVED, ASK: a slot moving in a cluster) is queued on that
     * node's connection and, with automatic flushing off, would wait there for the next flush until the timeout.
     */
    private <T> T getFlushingRedirects(RedisFuture<T> future, long deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return future.get(
                        Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(REFLUSH_MILLIS))),
                        TimeUnit.NANOSECONDS);
            } catch (TimeoutException notYet) {
                if (left <= TimeUnit.MILLISECONDS.toNanos(REFLUSH_MILLIS)) {
                    throw notYet;
                }
                connection.flushCommands();
            }
        }
    }

    private static final long REFLUSH_MILLIS = 20;

    boolean isOpen() {
        return connection.isOpen();
    }

    /** The cluster connection underneath; null for a single server. */
    @SuppressWarnings("unchecked")
    StatefulRedisClusterConnection<byte[], byte[]> cluster() {
        return connection instanceof StatefulRedisClusterConnection<?, ?> cluster
                ? (StatefulRedisClusterConnection<byte[], byte[]>) cluster
                : null;
    }

    @Override
    public void close() {
        connection.close();
    }

    /** Closes the connection without waiting for it to be closed. */
    CompletableFuture<Void> closeAsync() {
        return connection.closeAsync();
    }
}
