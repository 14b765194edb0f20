package dev.redisombatch.batch.ops;

import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Progress of one migration's walk across its partitions. Partitions completed by an earlier execution count as done;
 * partitions not started yet count as not begun.
 */
public final class MigrationProgress {

    private final String migrationId;
    private final int partitions;
    private final int completedEarlier;
    private final long startedAtNanos = System.nanoTime();
    private final List<PartitionProgress> running = new CopyOnWriteArrayList<>();
    private final Timer writes;
    private final String writtenAs;

    /** Also makes {@code meters} (registered once per migration) follow this walk's counters. */
    public MigrationProgress(String migrationId, int partitions, int completedEarlier, MigrationMeters meters) {
        this(migrationId, partitions, completedEarlier, meters, "changed");
    }

    /**
     * @param writtenAs what the log calls the documents written: "changed" for a migration, "would change" for a dry
     *     run, "written" for a copy
     */
    public MigrationProgress(
            String migrationId, int partitions, int completedEarlier, MigrationMeters meters, String writtenAs) {
        this.writtenAs = writtenAs;
        this.migrationId = migrationId;
        this.partitions = partitions;
        this.completedEarlier = completedEarlier;
        this.writes = meters.chunkWrites();
        meters.attach(this);
    }

    public PartitionProgress startPartition() {
        PartitionProgress progress = new PartitionProgress(writes);
        running.add(progress);
        return progress;
    }

    public String migrationId() {
        return migrationId;
    }

    public String writtenAs() {
        return writtenAs;
    }

    public Snapshot snapshot() {
        DocumentCounts counts = DocumentCounts.NONE;
        double walkedThisRun = 0;
        for (PartitionProgress partition : running) {
            counts = counts.plus(partition.counts());
            walkedThisRun += partition.fractionDone();
        }
        double seconds = (System.nanoTime() - startedAtNanos) / 1e9;
        return new Snapshot(
                counts,
                partitions == 0 ? 1 : (completedEarlier + walkedThisRun) / partitions,
                partitions == 0 ? 0 : walkedThisRun / partitions,
                seconds);
    }

    /**
     * Counters since this walk started, and the estimated share of the keyspace walked, from cursor positions: in all
     * ({@code fractionDone}) and by this walk ({@code fractionThisRun}, for the time left).
     */
    public record Snapshot(DocumentCounts counts, double fractionDone, double fractionThisRun, double seconds) {

        public long read() {
            return counts.read();
        }

        public long changed() {
            return counts.changed();
        }

        public long skipped() {
            return counts.skipped();
        }

        public double keysPerSecond() {
            return seconds > 0 ? counts.read() / seconds : 0;
        }

        /**
         * The time left at this walk's pace so far; empty until it has walked enough (a tenth of a percent) for a
         * rate to mean anything, and once nothing is left.
         */
        public OptionalLong secondsLeft() {
            double left = 1 - fractionDone;
            if (fractionThisRun > 0.001 && left > 0 && seconds > 0) {
                return OptionalLong.of(Math.round(seconds / fractionThisRun * left));
            }
            return OptionalLong.empty();
        }

        public String describe() {
            return describe("changed");
        }

        /** @param writtenAs what to call the documents written */
        public String describe(String writtenAs) {
            OptionalLong secondsLeft = secondsLeft();
            String eta = secondsLeft.isPresent() ? String.format(", about %ds left", secondsLeft.getAsLong()) : "";
            return String.format(
                    "%.1f%% walked, %,d read, %,d %s, %,d skipped, %,.0f keys/s%s",
                    100 * fractionDone,
                    counts.read(),
                    counts.changed(),
                    writtenAs,
                    counts.skipped(),
                    keysPerSecond(),
                    eta);
        }
    }
}
