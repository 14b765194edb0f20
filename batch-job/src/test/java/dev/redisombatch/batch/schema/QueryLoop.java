package dev.redisombatch.batch.schema;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A query sent through an index name in a loop while a migration runs, counting errors and answers other than the
 * expected count: what an application would have seen. Keep the query cheap (a single tag, or a count), or it takes
 * the server's time from the indexing the migration waits for.
 */
final class QueryLoop {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong wrongCounts = new AtomicLong();
    private volatile String firstError;
    private volatile String firstWrongCount;
    private Thread thread;

    /** @param count sends the query and returns the number of documents it found */
    static QueryLoop start(LongSupplier count, long expected) {
        QueryLoop loop = new QueryLoop();
        loop.thread = new Thread(
                () -> {
                    while (loop.running.get()) {
                        try {
                            long total = count.getAsLong();
                            loop.answered.incrementAndGet();
                            if (total != expected && loop.wrongCounts.getAndIncrement() == 0) {
                                loop.firstWrongCount = total + " instead of " + expected;
                            }
                        } catch (RuntimeException e) {
                            if (loop.errors.getAndIncrement() == 0) {
                                loop.firstError = e.toString();
                            }
                        }
                    }
                },
                "query-loop");
        loop.thread.start();
        return loop;
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join();
    }

    long answered() {
        return answered.get();
    }

    long errors() {
        return errors.get();
    }

    long wrongCounts() {
        return wrongCounts.get();
    }

    String firstError() {
        return firstError;
    }

    String firstWrongCount() {
        return firstWrongCount;
    }
}
