package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.partition.SlotProof;
import dev.redisombatch.batch.data.step.CopyConversion;
import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.LatestPartitions;
import dev.redisombatch.batch.jobs.ResumableInstance;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.ops.MigrationMeters;
import dev.redisombatch.batch.ops.MigrationProgress;
import dev.redisombatch.batch.ops.ProgressReporter;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Walks the source until the walks' checkpoints prove every hash slot copied, as a data migration's walks must prove
 * every slot walked ({@link SlotProof}): a slot is proven when a server walked it to the end while owning it steadily
 * (one process throughout, the slot owned and not moving every time the walk looked) and is still a master under the
 * same run_id. After a failover, a reshard or a restart of the source during the copy, only the slots not proven are
 * walked again (on a single server: every slice), on the masters that hold them then; keys copied twice are written
 * twice, the same bytes. Each walk is a job instance of its own; the same command after a crash resumes the unfinished
 * one, then walks what is left.
 */
final class CopyWalks {

    private static final Logger log = LoggerFactory.getLogger(CopyWalks.class);
    /** Walks in a row that prove no slot more than the walk before them before the copy gives up (exit 1). */
    private static final int MAX_FRUITLESS_WALKS = 2;
    /** How many instances of the copy job are looked through for the walks of this copy. */
    private static final int HISTORY = 10_000;

    /** What the walks of this execution read and wrote, and how they ended: null when every slot is proven. */
    record Result(DocumentCounts counts, RedisOmBatchException failure) {}

    private final BatchInfrastructure batch;
    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final DataStepSettings settings;
    private final StopSignal stop;
    private final Runnable leaseCheck;
    private final MeterRegistry metrics;
    private final CopiedKeys keys;
    private final CopyConversion conversion;
    /** The id of the last job execution a walk started here; 0 before any. */
    private long lastExecution;

    CopyWalks(
            BatchInfrastructure batch,
            RedisEndpoint source,
            RedisEndpoint target,
            DataStepSettings settings,
            StopSignal stop,
            Runnable leaseCheck,
            MeterRegistry metrics,
            CopiedKeys keys,
            CopyConversion conversion) {
        this.keys = keys;
        this.conversion = conversion;
        this.batch = batch;
        this.source = source;
        this.target = target;
        this.settings = settings;
        this.stop = stop;
        this.leaseCheck = leaseCheck;
        this.metrics = metrics;
    }

    /** Copies (or resumes the copy) until every slot is proven copied, as long as walks keep proving more. */
    Result copy(RunIdentity identity) throws Exception {
        DocumentCounts counts = DocumentCounts.NONE;
        SlotSet unprovenBefore = SlotSet.ALL;
        int fruitless = 0;
        for (int walk = 1; ; walk++) {
            Topology sourceNow = sourceTopology();
            ResumableInstance instance = ResumableInstance.find(batch.jobRepository(), batch.jobOperator(), identity);
            SlotSet walkSlots = SlotSet.ALL.andNot(provenSoFar(identity, sourceNow));
            if (instance.previous() == null && walkSlots.isEmpty()) {
                return new Result(counts, null);
            }
            CopyJob job = new CopyJob(
                    batch,
                    source,
                    target,
                    settings,
                    stop,
                    leaseCheck,
                    keys,
                    conversion,
                    sourceNow,
                    walkSlots,
                    instance.previous());
            MigrationProgress progress = new MigrationProgress(
                    "copy",
                    job.partitionCount(),
                    job.completedEarlier(),
                    MigrationMeters.of(metrics, "copy"),
                    "written");
            log.info(
                    "copying {} of {} to {} ({} slices{})",
                    walkSlots.isAll() ? "every key" : "the keys of " + SlotProof.describe(walkSlots),
                    source.target(),
                    target.target(),
                    job.partitionCount(),
                    instance.previous() == null
                            ? ""
                            : ", resuming execution " + instance.previous().getId());
            JobExecution execution;
            try (ProgressReporter ignored = new ProgressReporter(progress, settings.progressInterval())) {
                execution = batch.jobOperator().start(job.build(progress), instance.parameters());
            }
            lastExecution = execution.getId();
            counts = counts.plus(progress.snapshot().counts());
            RedisOmBatchException failure = stop.failureOf(execution, "the copy");
            if (failure != null) {
                return new Result(counts, failure);
            }
            SlotSet unproven = SlotSet.ALL.andNot(provenSoFar(identity, sourceTopology()));
            if (unproven.isEmpty()) {
                return new Result(counts, null);
            }
            String why = "the copy: " + (source.isCluster() ? SlotProof.describe(unproven) : "the source's keys")
                    + " not proven copied (a server of the source restarted or failed over, or slots moved while"
                    + " they were walked)";
            fruitless = walk > 1 && unproven.size() >= unprovenBefore.size() ? fruitless + 1 : 0;
            unprovenBefore = unproven;
            if (fruitless == MAX_FRUITLESS_WALKS || stop.isRequested()) {
                return new Result(
                        counts,
                        stop.reclassify(new RedisOmBatchException(
                                Failure.INTERRUPTED,
                                why + "; not complete after " + walk + " walk(s)"
                                        + (stop.isRequested()
                                                ? ""
                                                : ", the last " + fruitless + " proving no slot more (the source"
                                                        + " changes faster than it can be walked)")
                                        + ". Run the same command again when the source is steady: it copies only"
                                        + " what is not proven yet")));
            }
            log.warn("{}. Walking {} again", why, source.isCluster() ? SlotProof.describe(unproven) : "every slice");
        }
    }

    long lastExecution() {
        return lastExecution;
    }

    private Topology sourceTopology() {
        return source.call("read the source", commands -> source.topology());
    }

    /**
     * The slots the walks of this copy prove copied, as of the source's topology {@code now}.
     */
    private SlotSet provenSoFar(RunIdentity identity, Topology now) {
        SlotSet proven = SlotSet.NONE;
        for (List<StepExecution> walk : walks(identity)) {
            List<SliceCheckpoint> checkpoints = walk.stream()
                    .filter(step -> SliceCheckpoint.isIn(step.getExecutionContext()))
                    .map(step -> SliceCheckpoint.from(step.getExecutionContext()))
                    .toList();
            proven = proven.or(SlotProof.proven(checkpoints, now));
        }
        return proven;
    }

    /**
     * What the migrations made on the way counted over every walk of this copy, by migration id, in plan order: the
     * keys of slots walked again (after a failover, a reshard, a restart) are counted again, as in {@code read}, and
     * converted again. Not the target's change counter, as a run's record takes it: a copy writes again what a
     * killed execution wrote after its last checkpoint (restored in its source form), so the counter counts those
     * twice; each document counted by the status its last send got is counted once.
     */
    Map<String, DocumentCounts> converted(RunIdentity identity) {
        Map<String, DocumentCounts> counts = new LinkedHashMap<>();
        conversion.migrations().forEach(migration -> counts.put(migration.id(), DocumentCounts.NONE));
        for (List<StepExecution> walk : walks(identity)) {
            for (StepExecution slice : walk) {
                counts.replaceAll((id, sum) -> sum.plus(CopyConversion.countsIn(slice.getExecutionContext(), id)));
            }
        }
        return counts;
    }

    /**
     * The walks of this copy (the job instances of its identity, abandoned ones aside), each as the latest execution
     * of each of its slices.
     */
    private List<List<StepExecution>> walks(RunIdentity identity) {
        JobRepository repository = batch.jobRepository();
        List<List<StepExecution>> walks = new ArrayList<>();
        for (JobInstance instance : repository.getJobInstances(KeyCopy.JOB_NAME, 0, HISTORY)) {
            JobExecution last = repository.getLastJobExecution(instance);
            if (last == null
                    || last.getStatus() == BatchStatus.ABANDONED
                    || !identity.sameDataAs(RunIdentity.of(KeyCopy.JOB_NAME, last.getJobParameters()))) {
                continue;
            }
            walks.add(List.copyOf(LatestPartitions.of(
                            repository.getJobExecutions(instance),
                            step -> step.getStepName().startsWith(CopyJob.WORKER_STEP + ":"))
                    .values()));
        }
        return walks;
    }
}
