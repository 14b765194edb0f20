package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.data.partition.ScanSlicePartitioner;
import dev.redisombatch.batch.data.partition.ScanTarget;
import dev.redisombatch.batch.data.step.CopyConversion;
import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.LatestPartitions;
import dev.redisombatch.batch.jobs.PartitionChunkStep;
import dev.redisombatch.batch.ops.MigrationProgress;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The Spring Batch job of one walk of a copy: one partitioned step over SCAN slices of the source, cut by a data
 * migration's partitioner ({@code --partitions} per server, every master of a cluster; by cursor bits, by slot
 * ranges or not at all, as each server's SCAN cursor layout asks), each partition a chunk step of pages read from
 * the source and restored on the target, a checkpoint every {@value #PAGES_PER_CHECKPOINT} pages. A resumed copy
 * takes the partitions of its previous execution as they were.
 */
final class CopyJob {

    private static final String MANAGER_STEP = "copy";
    static final String WORKER_STEP = "copy-slice";
    static final int PAGES_PER_CHECKPOINT = 4;

    private final BatchInfrastructure batch;
    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final DataStepSettings settings;
    private final StopSignal stop;
    private final Runnable leaseCheck;
    private final CopiedKeys keys;
    private final CopyConversion conversion;
    private final Map<String, ExecutionContext> partitions;
    private final int completedEarlier;

    /**
     * @param sourceTopology the source's servers now, cut into slices for a new walk
     * @param walkSlots the slots whose keys a new walk copies: every slot, or those earlier walks did not prove copied
     * @param previous the walk's previous execution, to resume; null for a new walk
     */
    CopyJob(
            BatchInfrastructure batch,
            RedisEndpoint source,
            RedisEndpoint target,
            DataStepSettings settings,
            StopSignal stop,
            Runnable leaseCheck,
            CopiedKeys keys,
            CopyConversion conversion,
            Topology sourceTopology,
            SlotSet walkSlots,
            JobExecution previous) {
        this.batch = batch;
        this.source = source;
        this.target = target;
        this.settings = settings;
        this.stop = stop;
        this.leaseCheck = leaseCheck;
        this.keys = keys;
        this.conversion = conversion;
        if (previous == null) {
            this.partitions = ScanSlicePartitioner.everyKey(
                            ScanTarget.of(
                                    sourceTopology,
                                    walkSlots,
                                    node -> source.call("DBSIZE of the source", commands -> source.keysOn(node))),
                            settings.partitions(),
                            walkSlots)
                    .partition(0);
            this.completedEarlier = 0;
        } else {
            Map<String, StepExecution> last = LatestPartitions.of(
                    batch.jobRepository().getJobExecutions(previous.getJobInstance()),
                    step -> step.getStepName().startsWith(WORKER_STEP + ":"));
            this.partitions = new HashMap<>();
            last.forEach((name, step) ->
                    partitions.put(name.substring(WORKER_STEP.length() + 1), step.getExecutionContext()));
            this.completedEarlier = (int) last.values().stream()
                    .filter(step -> step.getStatus() == BatchStatus.COMPLETED)
                    .count();
        }
    }

    int partitionCount() {
        return partitions.size();
    }

    int completedEarlier() {
        return completedEarlier;
    }

    Job build(MigrationProgress progress) {
        SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("copy-");
        threads.setConcurrencyLimit(settings.threads());
        Step partitioned = new StepBuilder(MANAGER_STEP, batch.jobRepository())
                .partitioner(WORKER_STEP, gridSize -> partitions)
                .step(new SliceStep(progress))
                .gridSize(partitions.size())
                .taskExecutor(threads)
                .build();
        return new JobBuilder(KeyCopy.JOB_NAME, batch.jobRepository())
                .start(partitioned)
                .build();
    }

    /**
     * One partition: a chunk step of its own per execution, since its reader and writer hold per-partition state
     * (cursor, connections).
     */
    private final class SliceStep implements Step {

        private final MigrationProgress progress;

        SliceStep(MigrationProgress progress) {
            this.progress = progress;
        }

        @Override
        public String getName() {
            return WORKER_STEP;
        }

        @Override
        public void execute(StepExecution stepExecution) throws JobInterruptedException {
            PartitionProgress partition = progress.startPartition();
            CopyConversion.Slice converting =
                    conversion.slice(stepExecution.getStepName(), stepExecution.getExecutionContext());
            SourceReader reader = new SourceReader(
                    stepExecution.getStepName(), source, keys, settings.scanCount(), partition, leaseCheck, converting);
            TargetWriter writer = new TargetWriter(target, partition, leaseCheck);
            try {
                PartitionChunkStep.<CopiedPage, CopiedPage, SourceReader>of(
                                WORKER_STEP,
                                PAGES_PER_CHECKPOINT,
                                reader,
                                null,
                                pages -> {
                                    for (CopiedPage page : pages) {
                                        writer.write(new Chunk<>(List.of(page.restoredAlone())));
                                        converting.write(page.converted());
                                        partition.changed(
                                                page.restoredByWrites().size());
                                    }
                                },
                                batch.jobRepository(),
                                batch.transactionManager(),
                                stop)
                        .execute(stepExecution);
            } finally {
                writer.close();
                converting.close();
            }
        }
    }
}
