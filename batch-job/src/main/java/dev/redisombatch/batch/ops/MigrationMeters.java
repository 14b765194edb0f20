package dev.redisombatch.batch.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The meters of one migration, registered once per registry however often the migration is walked in a run (a
 * second walk after a server restart, say). Micrometer keeps the first registration of a name and tag and ignores
 * later ones, so meters registered per walk would go on reading the first walk's counters: these read whichever
 * progress is attached, on top of the totals of the walks before it, and so only ever grow.
 */
public final class MigrationMeters {

    private static final Map<MeterRegistry, Map<String, MigrationMeters>> BY_REGISTRY = new ConcurrentHashMap<>();
    private static final int READ = 0;
    private static final int CHANGED = 1;
    private static final int SKIPPED = 2;

    private final AtomicLongArray earlierWalks = new AtomicLongArray(3);
    private final Timer chunkWrites;
    private volatile MigrationProgress current;

    private MigrationMeters(MeterRegistry registry, String migrationId) {
        FunctionCounter.builder("redis_om_batch.keys.read", this, meters -> meters.total(READ))
                .description("keys read (SCAN + HGETALL/HMGET), re-reads included")
                .tag("migration", migrationId)
                .register(registry);
        FunctionCounter.builder("redis_om_batch.documents.changed", this, meters -> meters.total(CHANGED))
                .description("documents written (or, in a dry run, that would be)")
                .tag("migration", migrationId)
                .register(registry);
        FunctionCounter.builder("redis_om_batch.documents.skipped", this, meters -> meters.total(SKIPPED))
                .description("documents that could not be migrated and were skipped")
                .tag("migration", migrationId)
                .register(registry);
        this.chunkWrites = Timer.builder("redis_om_batch.chunk.write")
                .description("one pipelined write of changed documents")
                .tag("migration", migrationId)
                .register(registry);
    }

    /** The meters of {@code migrationId} in {@code registry}, registered on first use. */
    public static MigrationMeters of(MeterRegistry registry, String migrationId) {
        return BY_REGISTRY
                .computeIfAbsent(registry, any -> new ConcurrentHashMap<>())
                .computeIfAbsent(migrationId, id -> new MigrationMeters(registry, id));
    }

    /** Forgets the meters of a registry that is closed. */
    public static void release(MeterRegistry registry) {
        BY_REGISTRY.remove(registry);
    }

    /** Makes the meters follow {@code progress} from now on, keeping what the previous walk counted. */
    synchronized void attach(MigrationProgress progress) {
        MigrationProgress previous = current;
        if (previous != null) {
            MigrationProgress.Snapshot done = previous.snapshot();
            earlierWalks.addAndGet(READ, done.read());
            earlierWalks.addAndGet(CHANGED, done.changed());
            earlierWalks.addAndGet(SKIPPED, done.skipped());
        }
        current = progress;
    }

    Timer chunkWrites() {
        return chunkWrites;
    }

    private double total(int counter) {
        MigrationProgress progress = current;
        long now = 0;
        if (progress != null) {
            MigrationProgress.Snapshot snapshot = progress.snapshot();
            now = switch (counter) {
                case READ -> snapshot.read();
                case CHANGED -> snapshot.changed();
                default -> snapshot.skipped();
            };
        }
        return earlierWalks.get(counter) + now;
    }
}
