package dev.redisombatch.batch.data;

import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.migration.Document;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The worker of a migration's partitioned step. Readers and writers hold per-partition state (cursor, connection),
 * so each partition execution gets a chunk-oriented step of its own, built here from the partition's execution
 * context; that needs no Spring step scope.
 */
final class PartitionWorkerStep implements Step {

    private final String name;
    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final DataMigrationRun run;
    private final DocumentSource documents;

    PartitionWorkerStep(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DataMigrationRun run) {
        this.name = name;
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.run = run;
        this.documents = new DocumentSource(run.migration().keys().type(), run.migration().fieldsRead());
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void execute(StepExecution stepExecution) throws JobInterruptedException {
        ExecutionContext context = stepExecution.getExecutionContext();
        DataStepSettings settings = run.settings();
        PartitionProgress progress = run.progress().startPartition();
        try (PartitionSession session = new PartitionSession(run.redis())) {
            ScanSliceReader reader = new ScanSliceReader(stepExecution.getStepName(),
                    ScanSlicePartitioner.patternOf(context), ScanSlicePartitioner.sliceOf(context),
                    settings.scanCount(), ScanSlicePartitioner.keysPerSliceOf(context), documents, session::connection, run.redis().transientFaults(), progress,
                    run::checkMayContinue);
            ItemWriter<DocumentChange> writer = settings.dryRun()
                    ? new DryRunRecorder(run.examples(), 5, progress)
                    : new HashChangeWriter(session::connection, run.redis().transientFaults(), progress,
                            run::checkMayContinue);
            new StepBuilder(name, jobRepository)
                    .<Document, DocumentChange>chunk(settings.chunkSize())
                    .reader(reader)
                    .processor(new MigrationProcessor(run.transform()))
                    .writer(writer)
                    .transactionManager(transactionManager)
                    .interruptionPolicy(run.stop())
                    .faultTolerant()
                    .skipPolicy(new DocumentSkipPolicy(settings.failureMode(), run.budget()))
                    .skipListener(new SkippedKeyLog(run.id(), run.redis(), settings.skipLogCapacity(),
                            settings.failureMode(), progress))
                    .build()
                    .execute(stepExecution);
        }
    }
}
