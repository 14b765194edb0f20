package dev.redisombatch.batch.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Progress of one migration's run across its partitions. Partitions completed by an earlier execution count as done;
 * partitions not started yet count as not begun.
 */
public final class MigrationProgress {

    private final String migrationId;
    private final int partitions;
    private final int completedEarlier;
    private final long startedAtNanos = System.nanoTime();
    private final List<PartitionProgress> running = new CopyOnWriteArrayList<>();
    private final Timer chunkWrites;

    /**
     * Also publishes the counters as meters in {@code metrics}, tagged with the migration id. They read the
     * partitions' counters when exported, so metrics cost nothing per key.
     */
    public MigrationProgress(String migrationId, int partitions, int completedEarlier, MeterRegistry metrics) {
        this.migrationId = migrationId;
        this.partitions = partitions;
        this.completedEarlier = completedEarlier;
        FunctionCounter.builder("redis_om_batch.keys.read", this, progress -> progress.snapshot().read())
                .description("keys read (SCAN + HGETALL/HMGET), re-reads included").tag("migration", migrationId)
                .register(metrics);
        FunctionCounter.builder("redis_om_batch.documents.changed", this, progress -> progress.snapshot().changed())
                .description("documents written (or, in a dry run, that would be)").tag("migration", migrationId)
                .register(metrics);
        FunctionCounter.builder("redis_om_batch.documents.skipped", this, progress -> progress.snapshot().skipped())
                .description("documents that could not be migrated and were skipped").tag("migration", migrationId)
                .register(metrics);
        this.chunkWrites = Timer.builder("redis_om_batch.chunk.write")
                .description("one chunk's pipelined write").tag("migration", migrationId).register(metrics);
    }

    public PartitionProgress startPartition() {
        PartitionProgress progress = new PartitionProgress(chunkWrites);
        running.add(progress);
        return progress;
    }

    public String migrationId() {
        return migrationId;
    }

    public Snapshot snapshot() {
        long read = 0;
        long changed = 0;
        long skipped = 0;
        double done = completedEarlier;
        for (PartitionProgress p : running) {
            read += p.read();
            changed += p.changed();
            skipped += p.skipped();
            done += p.fractionDone();
        }
        double seconds = (System.nanoTime() - startedAtNanos) / 1e9;
        return new Snapshot(read, changed, skipped, partitions == 0 ? 1 : done / partitions, seconds);
    }

    /** Counters since this run started, and the estimated share of the keyspace walked (from cursor positions). */
    public record Snapshot(long read, long changed, long skipped, double fractionDone, double seconds) {

        public double keysPerSecond() {
            return seconds > 0 ? read / seconds : 0;
        }

        public String describe() {
            String eta = "";
            double walkedThisRun = fractionDone;
            if (walkedThisRun > 0.001 && walkedThisRun < 1 && seconds > 0) {
                long remaining = Math.round(seconds / walkedThisRun * (1 - walkedThisRun));
                eta = String.format(", about %ds left", remaining);
            }
            return String.format("%.1f%% walked, %,d read, %,d changed, %,d skipped, %,.0f keys/s%s",
                    100 * fractionDone, read, changed, skipped, keysPerSecond(), eta);
        }
    }
}
