package dev.redisombatch.batch.ops;

import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/** Live counters of one partition in this run, updated once per page or write batch, never per key. */
public final class PartitionProgress {

    private static final int READ = 0;
    private static final int CHANGED = 1;
    private static final int UNCHANGED = 2;
    private static final int SKIPPED = 3;
    private static final int CONFLICT = 4;
    private static final int GONE = 5;
    private static final int REREAD = 6;

    private final AtomicLongArray counts = new AtomicLongArray(7);
    private final Timer writes;
    private volatile double fractionDone;

    public PartitionProgress(Timer writes) {
        this.writes = writes;
    }

    /** Without metrics, for passes that publish none (verify). */
    public PartitionProgress() {
        this(null);
    }

    public void read(long documents, boolean reread) {
        counts.addAndGet(READ, documents);
        if (reread) {
            counts.addAndGet(REREAD, documents);
        }
    }

    public void changed(long documents) {
        counts.addAndGet(CHANGED, documents);
    }

    public void unchanged(long documents) {
        counts.addAndGet(UNCHANGED, documents);
    }

    public void skipped(long documents) {
        counts.addAndGet(SKIPPED, documents);
    }

    public void conflict(long documents) {
        counts.addAndGet(CONFLICT, documents);
    }

    public void gone(long documents) {
        counts.addAndGet(GONE, documents);
    }

    /** One pipelined write that took {@code nanos}. */
    public void timeWrite(long nanos) {
        if (writes != null) {
            writes.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public void fractionDone(double fraction) {
        this.fractionDone = fraction;
    }

    public double fractionDone() {
        return fractionDone;
    }

    public DocumentCounts counts() {
        return new DocumentCounts(
                counts.get(READ),
                counts.get(CHANGED),
                counts.get(UNCHANGED),
                counts.get(SKIPPED),
                counts.get(CONFLICT),
                counts.get(GONE),
                counts.get(REREAD));
    }
}
