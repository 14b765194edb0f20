package dev.redisombatch.batch.support;

import io.lettuce.core.AbstractRedisClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Shuts a test's own Lettuce client down without waiting forever: {@code shutdown()} waits on its future with no
 * bound, and once (CopyConversionIT, a fresh-clone CI run on 2026-12-04) that future never completed and the suite
 * hung for good. A client that does not shut down in time is left to its daemon threads.
 */
public final class ClientShutdown {

    private static final long WAIT_SECONDS = 30;

    private ClientShutdown() {}

    public static void of(AbstractRedisClient client) {
        try {
            client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            System.err.println("a test's Redis client did not shut down within " + WAIT_SECONDS + " s; left running");
        } catch (ExecutionException e) {
            System.err.println("a test's Redis client failed to shut down: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
