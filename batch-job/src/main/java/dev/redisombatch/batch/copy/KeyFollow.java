package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.data.step.DataRunContext;
import dev.redisombatch.batch.data.step.NamedKeysMigration;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.results.FollowOutcome;
import dev.redisombatch.migration.DataMigration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * {@code migrateData --target.url --follow}: once the copy and the migrations are done, keeps the target in step
 * with the source until the process is asked to stop (SIGTERM, Ctrl-C). Each key the source notified as changed
 * ({@link SourceEvents}, subscribed before the copy began) is read there again and restored on the target, then
 * converted by every migration applied on the target, in plan order; a key the source no longer holds is deleted
 * on the target. A key is taken from the waiting set before it is read, so a change made after that read notifies it
 * again and it is copied again: the target ends with what the source last held.
 *
 * <p>Nothing is applied while the copy and the migrations run: a key copied again then could be overwritten by the
 * copy's older reading of it. On the stop, every notification the source sent before it is awaited and written (for
 * at most {@link #DRAIN_TIME}, within the stop's grace), and, when nothing says the target missed a change, the
 * target records the source's change count of that moment ({@link CopyMark#inStep}): the next run measures from
 * there.
 */
public final class KeyFollow {

    private static final Logger log = LoggerFactory.getLogger(KeyFollow.class);
    /** Keys copied again per round: one source pipeline, one target pipeline, one write per migration. */
    private static final int PAGE = 500;

    private static final Duration IDLE_WAIT = Duration.ofMillis(50);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    /** Within the 25 s a stopping process is given, with room for the summary and closing. */
    static final Duration DRAIN_TIME = Duration.ofSeconds(15);

    private final SourceEvents events;
    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final DataRunContext context;
    private final List<DataMigration> applied;
    private final Instant subscribedAt;
    private final CopiedKeys keys;
    /** Keys copied again, and deleted on the target, so far. */
    private long copied;

    private long deleted;

    /** Set once the target was found flushed or replaced: one gap says it. */
    private boolean targetReplaced;

    /** Set once the target was found evicting: one gap says it. */
    private boolean targetEvicted;

    /**
     * @param applied the migrations applied on the target, in plan order
     * @param keys the keys the copy takes: a key heard that it does not take is left alone, or deleted on the target
     *     when a migration's pattern matches it but its type is no longer one the migration selects
     */
    public KeyFollow(
            Following following,
            RedisEndpoint target,
            DataRunContext context,
            List<DataMigration> applied,
            CopiedKeys keys) {
        this.keys = keys;
        this.events = following.events;
        this.source = following.source;
        this.subscribedAt = following.since;
        this.target = target;
        this.context = context;
        this.applied = applied;
    }

    /**
     * Subscribes to the source's notifications, before the copy: from then on every change is heard.
     */
    public static Following subscribe(RedisEndpoint source) {
        return new Following(source, SourceEvents.subscribe(source), Instant.now());
    }

    /** The source's notifications, heard from {@code since}; closed with the run. */
    public static final class Following implements AutoCloseable {

        private final RedisEndpoint source;
        private final SourceEvents events;
        private final Instant since;

        private Following(RedisEndpoint source, SourceEvents events, Instant since) {
            this.source = source;
            this.events = events;
            this.since = since;
        }

        @Override
        public void close() {
            events.close();
        }
    }

    /** Follows until {@code stop} is requested; then writes what was heard before it and says how it ended. */
    public FollowOutcome run() {
        CopyMark mark = new CopyMark(
                target,
                source.target(),
                target.call("read the target's dataset mark", commands -> target.topology())
                        .dataset());
        Map<String, String> recorded = mark.read();
        missedBeforeSubscription(recorded, subscribedAt);
        Topology targetThen = target.call("read the target", commands -> target.topology());
        TargetAtStart targetAtStart = new TargetAtStart(TargetEvictions.of(target, targetThen), targetThen.runIds());
        TargetWriter writer = new TargetWriter(target, new PartitionProgress(), context.leaseCheck());
        List<NamedKeysMigration> migrations = new ArrayList<>();
        try (PipelinedConnection sourceReads = source.openPipelined()) {
            applied.forEach(migration ->
                    migrations.add(new NamedKeysMigration(migration, context, subscribedAt.toEpochMilli())));
            log.info(
                    "following the source's changes into {} (migrations applied there: {}) until stopped",
                    target.target(),
                    applied.stream().map(DataMigration::id).toList());
            long nextCheck = 0;
            long nextLog =
                    System.nanoTime() + context.settings().progressInterval().toNanos();
            while (!context.stop().isRequested()) {
                if (System.nanoTime() >= nextCheck) {
                    // The target's gaps first: a target flushed has lost the run's lock too, and should say why.
                    events.check();
                    checkTarget(mark, targetAtStart);
                    context.leaseCheck().run();
                    nextCheck = System.nanoTime() + CHECK_EVERY.toNanos();
                    if (targetReplaced) {
                        break; // it no longer holds the copy: writing on would only leave keys no copy accounts for
                    }
                }
                if (System.nanoTime() >= nextLog) {
                    log.info(
                            "following: {} changes heard, {} keys copied again, {} deleted, {} waiting, lag {} ms",
                            events.noticed(),
                            copied,
                            deleted,
                            events.waiting(),
                            events.lag().toMillis());
                    nextLog = System.nanoTime()
                            + context.settings().progressInterval().toNanos();
                }
                List<byte[]> keys = events.take(PAGE);
                if (keys.isEmpty()) {
                    pause();
                    continue;
                }
                copyAgain(sourceReads, writer, migrations, keys);
            }
            long waitingAtStop = events.waiting();
            Duration lagAtStop = events.lag();
            // Read before the last notifications are awaited: every change it counts has been heard once they are.
            SourceChanges sourceAtStop = SourceChanges.of(source);
            events.awaitDelivered();
            events.check();
            long drainStarted = System.nanoTime();
            long drainUntil = drainStarted + DRAIN_TIME.toNanos();
            List<byte[]> keys;
            // Until what was heard before the stop is written: keys heard since come after the source's count above.
            while (!targetReplaced
                    && System.nanoTime() < drainUntil
                    && events.waitingHeardBefore(drainStarted) > 0
                    && !(keys = events.take(PAGE)).isEmpty()) {
                copyAgain(sourceReads, writer, migrations, keys);
            }
            checkTarget(mark, targetAtStart);
            context.leaseCheck().run();
            FollowOutcome outcome = new FollowOutcome(
                    subscribedAt.toString(),
                    Instant.now().toString(),
                    events.noticed(),
                    copied,
                    deleted,
                    migrations.stream()
                            .mapToLong(
                                    migration -> migration.progress().counts().changed())
                            .sum(),
                    migrations.stream()
                            .mapToLong(
                                    migration -> migration.progress().counts().skipped())
                            .sum(),
                    waitingAtStop,
                    lagAtStop.toMillis(),
                    // Keys heard since are changes after the stop's count of the source, which in-step does not cover.
                    events.waitingHeardBefore(drainStarted),
                    events.gaps());
            if (outcome.inStep() && !mark.inStep(sourceAtStop, Instant.now())) {
                throw new IllegalStateException(
                        target.target() + "'s " + CopyMark.KEY + " changed at the stop: flushed or replaced just then");
            }
            return outcome;
        } catch (RuntimeException stoppedShort) {
            // The gaps found before it stopped say as much about the target as what stopped it (a flushed target has
            // lost the run's lock too, say).
            List<String> gaps = events.gaps();
            if (gaps.isEmpty()) {
                throw stoppedShort;
            }
            throw new RedisOmBatchException(
                    Failure.OUT_OF_STEP,
                    Failures.describe(stoppedShort) + "; before that: " + String.join("; ", gaps),
                    stoppedShort);
        } finally {
            migrations.forEach(NamedKeysMigration::close);
            writer.close();
        }
    }

    /** What the target was when following began: its evictions so far and its masters' processes. */
    private record TargetAtStart(TargetEvictions evictions, Set<String> processes) {}

    /**
     * Gaps of the target's own, kept once each: it evicted keys (copied ones may be gone); or it no longer holds the
     * data the copy began on (flushed, restarted empty, replaced), or is other processes than when following began (a
     * restart, a failover: what they had not saved or replicated may be lost). Notifications of the source cannot
     * bring back what was sent before; after the second, following stops.
     */
    private void checkTarget(CopyMark mark, TargetAtStart atStart) {
        Topology now = target.call("read the target", commands -> target.topology());
        if (!targetEvicted) {
            long evicted = TargetEvictions.of(target, now).since(atStart.evictions());
            if (evicted > 0) {
                targetEvicted = true;
                events.missed("the target evicted keys while following (" + evicted + " by " + Instant.now()
                        + "; it reached its maxmemory, and its maxmemory-policy evicts): copied keys may be gone");
            }
        }
        if (targetReplaced) {
            return;
        }
        String change = mark.changeSince(now, atStart.processes(), " while following");
        if (change != null) {
            targetReplaced = true;
            events.missed(change + ", noticed at " + Instant.now() + ": keys copied before may be gone from it");
        }
    }

    /**
     * A gap when the target already held a copy before this run heard its first notification and the source changed
     * between the last point the target held all of it and that moment: those changes were heard by no one.
     */
    private void missedBeforeSubscription(Map<String, String> recorded, Instant subscribedAt) {
        String started = recorded.get(CopyMark.STARTED_AT);
        if (started != null && Instant.parse(started).isAfter(subscribedAt)) {
            return; // the copy itself began after the subscription
        }
        CopyMark.InStep inStep = CopyMark.lastInStep(recorded);
        if (inStep == null) {
            events.missed("the target's copy mark keeps no count of the source's changes, so whether the source"
                    + " changed before following began cannot be told");
            return;
        }
        OptionalLong changes = events.changesAtSubscription().since(inStep.source());
        if (changes.isEmpty()) {
            events.missed("the source restarted, saved an RDB or moved slots since the target last held all of it ("
                    + inStep.at()
                    + "), so whether it changed before following began cannot be told");
        } else if (changes.getAsLong() > 0) {
            events.missed("the source changed " + changes.getAsLong() + " times between " + inStep.at()
                    + " (when the target last held all of it) and " + subscribedAt
                    + " (when following began), and those changes were heard by no one");
        }
    }

    private void copyAgain(
            PipelinedConnection sourceReads,
            TargetWriter writer,
            List<NamedKeysMigration> migrations,
            List<byte[]> heard) {
        Heard read = source.transientFaults().call("DUMP " + heard.size() + " changed keys of the source", () -> {
            CopiedKeys.Split split = keys.split(sourceReads, heard);
            return new Heard(split.notCopied(), KeyDumps.read(sourceReads, split.copied()));
        });
        KeyDumps dumps = read.dumps();
        // Read again at the next round, where its slot is then (a redirect Lettuce did not follow).
        events.again(dumps.moved());
        deleted += writer.delete(read.notCopied()) + writer.delete(dumps.gone());
        copied += dumps.present().size();
        if (!dumps.present().isEmpty()) {
            writer.write(new Chunk<>(List.of(dumps.present())));
            List<byte[]> restored = dumps.present().stream().map(DumpedKey::key).toList();
            migrations.forEach(migration -> migration.apply(restored));
        }
    }

    /** What the source holds of keys heard: those the copy takes, read, and those it no longer takes. */
    private record Heard(List<byte[]> notCopied, KeyDumps dumps) {}

    private static void pause() {
        try {
            Thread.sleep(IDLE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
