package dev.redisombatch.batch.ops;

import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters of one partition, updated once per SCAN page or chunk, never per key. */
public final class PartitionProgress {

    private final AtomicLong read = new AtomicLong();
    private final AtomicLong changed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile double fractionDone;
    private final Timer chunkWrites;

    public PartitionProgress(Timer chunkWrites) {
        this.chunkWrites = chunkWrites;
    }

    /** Without metrics, for passes that publish none (verify). */
    public PartitionProgress() {
        this(null);
    }

    /** A chunk of {@code documents} written in {@code nanos}. */
    public void chunkWritten(long documents, long nanos) {
        changed.addAndGet(documents);
        if (chunkWrites != null) {
            chunkWrites.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    public void addRead(long keys) {
        read.addAndGet(keys);
    }

    public void addChanged(long documents) {
        changed.addAndGet(documents);
    }

    public void addSkipped(long documents) {
        skipped.addAndGet(documents);
    }

    public void fractionDone(double fraction) {
        this.fractionDone = fraction;
    }

    public long read() {
        return read.get();
    }

    public long changed() {
        return changed.get();
    }

    public long skipped() {
        return skipped.get();
    }

    public double fractionDone() {
        return fractionDone;
    }
}
