package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.data.step.CopyConversion;
import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.results.CopyOutcome;
import dev.redisombatch.batch.schema.IndexCopy;
import dev.redisombatch.batch.state.MigrationKind;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies every key of the source to the target, once: the first step of {@code migrateData --target.url}, after
 * which the pending migrations run on the target as they would in place. The source is only read.
 *
 * <p>What the target holds is checked first, and recorded in it ({@link CopyMark}): a target holding keys this copy
 * did not write is refused unless {@code --target.overwrite}; a copy that completed is not made again (the
 * migrations since may have changed the copied keys); a target that changed since the copy began (flushed or
 * restored, in whole or in part) is refused. Before any key, once per copy, the target takes the source's indexes
 * ({@code --target.indexes=copy}) and its record of applied schema migrations; then what the caller runs before the
 * keys ({@link TargetSchema}: the pending schema migrations that create an index). The walk is a Spring Batch job bound to the source, the
 * target and the target's data ({@code DatasetMark}), so the same command after a crash resumes it from its
 * checkpoints.
 */
public final class KeyCopy {

    private static final Logger log = LoggerFactory.getLogger(KeyCopy.class);
    static final String JOB_NAME = "copyKeys";

    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final CopySettings settings;
    private final DataStepSettings step;
    /** Opened only for a copy to make or resume: a run that finds its copy complete needs no job repository. */
    private final Supplier<BatchInfrastructure> batch;

    private final StopSignal stop;
    private final Runnable leaseCheck;
    private final MeterRegistry metrics;
    private final CopiedKeys keys;
    /** The migrations a new copy makes on the way, and what they are (ids and checksums) to the copy's mark. */
    private final CopyConversion conversion;

    private final String conversionIdentity;
    /** The migrations this run's copy made on the way, with their counts; set once it completed. */
    private Map<String, DocumentCounts> converted = Map.of();
    /** The migrations the copy made on the way, once it was begun or resumed; none before. */
    private CopyConversion converting;
    /** The id of the copy's last job execution in this run; 0 when it ran none. */
    private long lastExecution;

    public KeyCopy(
            RedisEndpoint source,
            RedisEndpoint target,
            CopySettings settings,
            DataStepSettings step,
            Supplier<BatchInfrastructure> batch,
            StopSignal stop,
            Runnable leaseCheck,
            MeterRegistry metrics,
            CopiedKeys keys,
            CopyConversion conversion,
            String conversionIdentity) {
        this.keys = keys;
        this.conversion = conversion;
        this.conversionIdentity = conversionIdentity;
        this.source = source;
        this.target = target;
        this.settings = settings;
        this.step = step;
        this.batch = batch;
        this.stop = stop;
        this.leaseCheck = leaseCheck;
        this.metrics = metrics;
    }

    /**
     * The schema migrations the caller applies to the target around its keys: those that create an index, before
     * them, so that each such index takes the documents as they arrive; and what follows a walk that completed, before
     * the copy is recorded complete (a copy killed in between does it when resumed).
     */
    public interface TargetSchema {

        /**
         * Once the copy is begun and the target's indexes are set up, before any key is copied.
         *
         * @return why the copy must not go on; null when it may
         */
        RedisOmBatchException beforeTheKeys();

        /** Once a walk completed, before the copy is recorded complete. */
        void afterTheKeys();
    }

    /** Copies, or resumes the copy; {@link CopyChecks} first. */
    public CopyOutcome run(TargetSchema schema) throws Exception {
        Topology targetTopology = target.call("mark the target's data", commands -> target.markDataset());
        CopyMark mark = new CopyMark(target, source.target(), targetTopology.dataset());
        Map<String, String> recorded = mark.read();
        boolean begunHere = recorded.isEmpty();
        converting = conversion;
        if (begunHere) {
            refuseOtherKeysUnlessOverwrite();
            mark.begin(
                    SourceChanges.of(source),
                    TargetEvictions.of(target, targetTopology),
                    keys,
                    conversion.isEmpty() ? "" : conversionIdentity);
            recorded = mark.read();
        } else {
            mark.refuseOtherCopy(recorded, keys);
            if (!CopyMark.completed(recorded)) {
                converting = resumedConversion(CopyMark.convertedBy(recorded), recorded);
                RedisOmBatchException notWhole = noLongerWhole(mark, recorded);
                if (notWhole != null) {
                    throw notWhole; // before walking the rest: it could not be completed anyway
                }
            } else {
                String lost = CopyMark.lost(recorded);
                if (lost != null) {
                    throw new RedisOmBatchException(
                            Failure.OUT_OF_STEP,
                            "the copy of " + source.target() + " that " + target.target() + " holds was found lost at "
                                    + lost);
                }
                log.info(
                        "{} already holds the copy of {} that completed at {}; not copied again",
                        target.target(),
                        source.target(),
                        recorded.get(CopyMark.COMPLETED_AT));
                CopyMark.InStep inStep = CopyMark.lastInStep(recorded);
                return new CopyOutcome(
                        source.target(),
                        target.target(),
                        true,
                        0,
                        0,
                        0,
                        changesSince(inStep.source()),
                        inStep.at(),
                        null);
            }
        }
        TargetEvictions.warnIfEvicting(target);
        if (!CopyMark.schemaTaken(recorded)) {
            takeTheSourcesSchema(begunHere, mark);
        }
        RedisOmBatchException notBegun = schema.beforeTheKeys();
        if (notBegun != null) {
            return stoppedBeforeTheKeys(notBegun, recorded);
        }
        // Bound to the target's processes too: after a restart or a failover of the target, what it had not saved or
        // replicated may be gone, so the checkpoints no longer say what it holds and the copy walks every key again.
        RunIdentity identity = new RunIdentity(
                JOB_NAME,
                "copy",
                source.target() + " -> " + target.target(),
                "copy",
                0,
                "",
                targetTopology.datasetAndProcesses());
        CopyWalks walks = new CopyWalks(batch.get(), source, target, step, stop, leaseCheck, metrics, keys, converting);
        CopyWalks.Result walked = walks.copy(identity);
        lastExecution = walks.lastExecution();
        DocumentCounts counts = walked.counts();
        RedisOmBatchException failure = whatARefusalLeft(walked.failure(), begunHere, mark, counts.changed());
        if (failure == null) {
            failure = noLongerWhole(mark, recorded);
        } else if (failure.failure() == Failure.INTERRUPTED) {
            failure = Objects.requireNonNullElse(noLongerWholeIfTold(mark, recorded), failure);
        }
        if (failure == null) {
            failure = restartedDuringTheWalk(targetTopology);
        }
        if (failure == null) {
            takeTheSourcesAppliedSet(MigrationKind.DATA);
            schema.afterTheKeys();
        }
        if (failure == null && !mark.complete(Instant.now())) {
            failure = Objects.requireNonNullElseGet(
                    noLongerWhole(mark, recorded),
                    () -> new RedisOmBatchException(
                            Failure.OUT_OF_STEP,
                            target.target() + "'s " + CopyMark.KEY + " changed under the copy, which is therefore not"
                                    + " recorded complete"));
        }
        Long sourceChanges = null;
        if (failure == null && !converting.isEmpty()) {
            converted = walks.converted(identity);
        }
        if (failure == null) {
            // The summary says what this means (CopyOutcome.sourceChanges).
            sourceChanges = changesSince(SourceChanges.from(recorded, ""));
        }
        return new CopyOutcome(
                source.target(),
                target.target(),
                false,
                counts.read(),
                counts.changed(),
                counts.gone(),
                sourceChanges,
                recorded.get(CopyMark.STARTED_AT),
                failure);
    }

    /**
     * The copy stopped by what ran before its keys ({@link TargetSchema#beforeTheKeys}): nothing read or written. A refusal that
     * would say "nothing was started" or "nothing was written" says what stays instead: the copy's mark, and the schema
     * migrations applied before the one refused; the same command goes on from there.
     */
    private CopyOutcome stoppedBeforeTheKeys(RedisOmBatchException failure, Map<String, String> recorded) {
        boolean refused = failure.failure() == Failure.CONFIGURATION || failure.failure() == Failure.PLAN;
        return new CopyOutcome(
                source.target(),
                target.target(),
                false,
                0,
                0,
                0,
                null,
                recorded.get(CopyMark.STARTED_AT),
                refused
                        ? new RedisOmBatchException(
                                Failure.REFUSED_AFTER_WRITES,
                                failure.getMessage() + " (before this run copied any key; the copy's mark, and what"
                                        + " it wrote before, stay on the target)",
                                failure)
                        : failure);
    }

    /**
     * The migrations made on the way by this run's copy, once it completed, by id in plan order, with what they counted
     * over every walk of the copy; empty when it made none (or did not complete).
     */
    public Map<String, DocumentCounts> converted() {
        return converted;
    }

    public long lastExecution() {
        return lastExecution;
    }

    /** Drops from the target the change counters of the migrations this run's copy made on the way, once recorded. */
    public void clearConversionCounters() {
        if (!converted.isEmpty()) {
            converting.clearCounters();
        }
    }

    /**
     * The migrations to make on the way when resuming a copy that began making {@code then} (ids and checksums): the
     * same, or none for a copy begun without; other migrations, or the same with other code, are refused (exit 3),
     * since the documents already copied were converted by those.
     */
    private CopyConversion resumedConversion(String then, Map<String, String> recorded) {
        if (then.isEmpty()) {
            return conversion.none();
        }
        if (!then.equals(conversionIdentity)) {
            throw new RedisOmBatchException(
                    Failure.TARGET_IN_USE,
                    target.target() + " holds an unfinished copy of " + source.target() + ", begun at "
                            + recorded.get(CopyMark.STARTED_AT) + ", that makes " + then + " on the way; this run"
                            + " would make " + (conversionIdentity.isEmpty() ? "none" : conversionIdentity)
                            + ": give the same migrations and code, or flush the target and copy again");
        }
        return conversion;
    }

    /**
     * The failure to end with when what the copy wrote so far can no longer be taken as a copy: the source was flushed
     * since it began, or may have been (the target may hold keys the source dropped, and the checkpoints cover keys the
     * source did not hold then); the target evicted keys, or was flushed or replaced (copied keys may be gone). Null
     * when none of these, or when that cannot be told (a restarted source: the summary says its changes cannot be
     * told).
     */
    private RedisOmBatchException noLongerWhole(CopyMark mark, Map<String, String> recorded) {
        String since = " since its copy " + source.target() + " -> " + target.target() + " began at "
                + recorded.get(CopyMark.STARTED_AT);
        String sourceFlush = SourceChanges.of(source).flushedSince(SourceChanges.from(recorded, ""));
        Topology targetNow = target.call("read the target", commands -> target.topology());
        long evicted = TargetEvictions.of(target, targetNow).since(TargetEvictions.from(recorded));
        String targetChange = mark.datasetChange(targetNow);
        String why;
        String first = "";
        if (sourceFlush != null) {
            why = source.target() + " " + sourceFlush + since + ": the target may hold keys the source dropped";
        } else if (evicted > 0) {
            why = target.target() + " evicted " + evicted + " keys" + since
                    + " (it reached its maxmemory, and its maxmemory-policy evicts): copied keys may be gone";
            first = "; give the target more memory or maxmemory-policy noeviction first";
        } else if (targetChange != null) {
            why = targetChange + ": it no longer holds what was copied";
        } else {
            return null;
        }
        return new RedisOmBatchException(
                Failure.OUT_OF_STEP, why + ", so the copy is not complete and cannot be resumed" + first);
    }

    /**
     * The failure to end with when the target's masters are other processes than when this walk began (a restart, a
     * failover): what they had not saved or replicated may be lost. The same command then copies every key again
     * (the walk is bound to the target's processes), so it is an interruption (exit 1).
     */
    private RedisOmBatchException restartedDuringTheWalk(Topology atStart) {
        String restarted =
                CopyMark.processesChange(target, " during the copy", atStart.runIds(), CopyMark.processesOf(target));
        return restarted == null
                ? null
                : new RedisOmBatchException(
                        Failure.INTERRUPTED,
                        restarted + ", so the copy is not complete; the same command copies every key again");
    }

    /**
     * Sets up the target's indexes and its set of applied schema migrations from the source's, once per copy and
     * before anything else is done there: the source's indexes the target lacks, with {@code --target.indexes=copy},
     * then the source's set of applied schema ids (none with {@code --target.copy=migrated}). The schema migrations
     * then run on the target from there, as they would on the source, and the set stays the target's own: the walk
     * does not copy it. Done again by a resume until recorded, and never after: a schema migration run on the target
     * since may have replaced an index the source still has.
     */
    private void takeTheSourcesSchema(boolean begunHere, CopyMark mark) {
        if (settings.indexes() == CopySettings.Indexes.COPY) {
            try {
                IndexCopy.createMissing(source, target);
            } catch (RedisOmBatchException refused) {
                throw whatARefusalLeft(refused, begunHere, mark, 0);
            }
        }
        takeTheSourcesAppliedSet(MigrationKind.SCHEMA);
        mark.schemaTaken(Instant.now());
    }

    /**
     * Makes the target's set of applied ids of {@code kind} the source's (copied whole, or deleted when the source has
     * none) with every key, none with {@code --target.copy=migrated}. For data migrations, once the walk is done and
     * before any migration runs there: a target that ran migrations before this walk restored the source's documents
     * over theirs (a copy walked again after the target restarted, say) must not keep saying they ran.
     */
    private void takeTheSourcesAppliedSet(MigrationKind kind) {
        String set = kind.appliedSet();
        Set<String> ids = appliedOnceCopied(source, keys.mode(), kind);
        target.call("DEL " + set + " on the target", commands -> commands.del(set));
        if (!ids.isEmpty()) {
            target.call("SADD " + set + " on the target", commands -> commands.sadd(set, ids.toArray(String[]::new)));
        }
    }

    /**
     * The ids of {@code kind} a copy's target takes as applied from {@code source}: the source's set when every key is
     * copied, none with {@code --target.copy=migrated} (every known migration then runs on the target).
     */
    public static Set<String> appliedOnceCopied(RedisEndpoint source, CopySettings.Copied copied, MigrationKind kind) {
        if (copied != CopySettings.Copied.ALL) {
            return Set.of();
        }
        String set = kind.appliedSet();
        return source.call("SMEMBERS " + set + " of the source", commands -> commands.smembers(set));
    }

    /**
     * A copy refused for good (exit 2: an index the target cannot take, a DUMP format it cannot read, a key the
     * target's user may not write), as the operator is to be told it. Before any key was restored, this run takes back
     * the mark it gave the target: "nothing was started" stays true, and a copy from another source is not refused for
     * a mark of one that never was. After some were (a page's pipeline restores the keys before the one refused), the
     * failure says they stay on the target, where the same command goes on.
     */
    private RedisOmBatchException whatARefusalLeft(
            RedisOmBatchException failure, boolean begunHere, CopyMark mark, long restored) {
        if (failure == null || failure.failure() != Failure.CONFIGURATION) {
            return failure;
        }
        // This execution counts every key it restored, those of a page refused part way too; an earlier one left its
        // keys on the target. A key there otherwise is another's (--target.overwrite): no sign of a copy. The target
        // is scanned only when this execution's count cannot tell.
        boolean targetHoldsKeys = restored == 0
                && target.call("look for keys on the target", commands -> target.anyKeyNotOwn())
                        .isPresent();
        if (restored > 0 || (!begunHere && targetHoldsKeys)) {
            return new RedisOmBatchException(
                    Failure.REFUSED_AFTER_WRITES,
                    failure.getMessage() + "; the keys copied before it stay on the target",
                    failure);
        }
        if (begunHere && !targetHoldsKeys) {
            mark.forget();
        }
        return failure;
    }

    /**
     * {@link #noLongerWhole} for a walk that was interrupted: a target that evicted keys until it refused writes (OOM)
     * is to be flushed and copied again, not resumed. Null when nothing says so, or when the sides cannot be read now
     * (the interruption's own message then stands).
     */
    private RedisOmBatchException noLongerWholeIfTold(CopyMark mark, Map<String, String> recorded) {
        try {
            return noLongerWhole(mark, recorded);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** How many times the source changed since {@code earlier}; null when that cannot be told. */
    private Long changesSince(SourceChanges earlier) {
        OptionalLong changes = SourceChanges.of(source).since(earlier);
        return changes.isPresent() ? changes.getAsLong() : null;
    }

    private void refuseOtherKeysUnlessOverwrite() {
        if (settings.overwrite()) {
            return;
        }
        target.call("look for keys on the target", commands -> target.anyKeyNotOwn())
                .ifPresent(key -> {
                    long evicted = TargetEvictions.of(
                                    target, target.call("read the target", commands -> target.topology()))
                            .total();
                    throw new RedisOmBatchException(
                            Failure.TARGET_IN_USE,
                            target.target() + " already holds keys this copy did not write (" + key + ", for one)"
                                    + (evicted == 0
                                            ? ""
                                            : ", or whose mark of an earlier copy (" + CopyMark.KEY + ") was evicted:"
                                                    + " it has evicted " + evicted + " keys since it started")
                                    + ": copy to an empty Redis, or give --target.overwrite to replace the keys the"
                                    + " source has too");
                });
    }
}
