package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.store.DocumentStore;
import dev.redisombatch.batch.data.store.WriteScript;
import dev.redisombatch.batch.jobs.PartitionChunkStep;
import dev.redisombatch.batch.ops.PartitionProgress;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The worker of a migration's partitioned step. Readers and writers hold per-partition state (cursor, connection),
 * so each partition execution gets a chunk-oriented step of its own, built here; that needs no Spring step scope.
 * One item is one SCAN page (one read pipeline, one write pipeline per {@code --chunk-size} documents); one chunk is
 * {@value #PAGES_PER_CHECKPOINT} pages, and one checkpoint.
 */
public final class PartitionWorkerStep implements Step {

    /**
     * Pages per checkpoint. Each checkpoint is a job repository transaction (step execution and execution context
     * updated, committed), which cost about 3 ms of CPU each in a profile: as much as the 1,000 documents of a page
     * themselves. Several pages per checkpoint keep SCAN calls and write scripts as short as before (the server is
     * blocked for one of them at a time), at the price of reading up to this many pages again after a crash.
     */
    static final int PAGES_PER_CHECKPOINT = 4;

    private final String name;
    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final DataMigrationRun run;

    public PartitionWorkerStep(
            String name,
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            DataMigrationRun run) {
        this.name = name;
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.run = run;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void execute(StepExecution stepExecution) throws JobInterruptedException {
        DataStepSettings settings = run.settings();
        PartitionProgress progress = run.progress().startPartition();
        SliceCheckpoint slice = SliceCheckpoint.from(stepExecution.getExecutionContext());
        String node = slice.node();
        try (PartitionSession session = new PartitionSession(
                stepExecution.getStepName(), node, run.context().redis(), progress)) {
            DocumentStore store = run.store(slice.type(), session);
            PageReader reader = new PageReader(session, store, settings.scanCount(), run.context()::checkMayContinue);
            PageProcessor processor = new PageProcessor(run.transform(), run.rejections(), progress);
            ItemWriter<PageChanges> writer = settings.dryRun()
                    ? new DryRunWriter(session, store, run.id(), run.examples())
                    : new PageWriter(
                            session,
                            store,
                            processor,
                            new WriteScript(store, settings.writeMode(), run.changedCounter()),
                            new SkippedKeyLog(run.id(), settings.skipLogCapacity()),
                            settings.chunkSize(),
                            run.context()::checkMayContinue);
            PartitionChunkStep.<DocumentPage, PageChanges, PageReader>of(
                            name,
                            PAGES_PER_CHECKPOINT,
                            reader,
                            processor,
                            writer,
                            jobRepository,
                            transactionManager,
                            run.context().stop())
                    .execute(stepExecution);
            if (stepExecution.getStatus() == BatchStatus.COMPLETED) {
                session.connectionSettled();
            }
        }
    }
}
