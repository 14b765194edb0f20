package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.Failure;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until RediSearch has indexed the documents that existed when an index was created: FT.INFO reports
 * {@code indexing} 0 and {@code percent_indexed} 1. Queries against an index still being built see only part of the
 * data, which is why nothing is switched to it before.
 */
public final class IndexBuildWait {

    private static final Logger log = LoggerFactory.getLogger(IndexBuildWait.class);
    private static final long POLL_MILLIS = 200;

    private final SearchCommands search;
    private final Duration timeout;
    private final Duration progressInterval;
    private final BooleanSupplier stopRequested;

    public IndexBuildWait(
            SearchCommands search, Duration timeout, Duration progressInterval, BooleanSupplier stopRequested) {
        this.search = search;
        this.timeout = timeout;
        this.progressInterval = progressInterval;
        this.stopRequested = stopRequested;
    }

    /** @return the index once built */
    public LiveIndex until(String index) {
        long started = System.nanoTime();
        long nextReport = started + progressInterval.toNanos();
        while (true) {
            LiveIndex live = search.info(index)
                    .orElseThrow(
                            () -> new SchemaMigrationException(
                                    "index " + index
                                            + " disappeared while it was being built (dropped by someone else?); rerun to create it again"));
            if (live.built()) {
                log.info(
                        "index {} is built: {} documents, {} could not be indexed, in {} s",
                        index,
                        live.numDocs(),
                        live.hashIndexingFailures(),
                        String.format("%.1f", (System.nanoTime() - started) / 1e9));
                return live;
            }
            long now = System.nanoTime();
            if (now - started > timeout.toNanos()) {
                throw new SchemaMigrationException("index " + index + " is still being built after "
                        + timeout.toSeconds() + " s (" + percent(live) + "); run the same command again to keep"
                        + " waiting, or give a longer --schema.wait-timeout");
            }
            if (stopRequested.getAsBoolean()) {
                throw new SchemaMigrationException(
                        Failure.STOPPED,
                        "stopped while index " + index + " was being built (" + percent(live)
                                + "; RediSearch goes on building it)");
            }
            if (now >= nextReport) {
                log.info("index {}: {} indexed, {} documents", index, percent(live), live.numDocs());
                nextReport = now + progressInterval.toNanos();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaMigrationException("interrupted while index " + index + " was being built");
            }
        }
    }

    private static String percent(LiveIndex live) {
        return String.format("%.1f%%", live.percentIndexed() * 100);
    }
}
