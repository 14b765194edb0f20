package dev.redisombatch.batch.data;

import dev.redisombatch.batch.data.step.DataMigrationRun;
import dev.redisombatch.batch.data.step.PartitionWorkerStep;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.remote.RemoteWorkers;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Assembles the Spring Batch job of one walk of a migration: a partitioned step whose partitions run on threads of
 * this process or on worker processes, then (unless dry) the step that records the run.
 */
final class MigrationJob {

    private final BatchInfrastructure batch;
    private final RemoteWorkers workers;

    /** @param workers the worker processes' queue ({@code --workers=remote}); null to run partitions here */
    MigrationJob(BatchInfrastructure batch, RemoteWorkers workers) {
        this.batch = batch;
        this.workers = workers;
    }

    /** @param record the step that records the run; null for a dry run, which records nothing */
    Job build(DataMigrationRun run, PartitionPlan plan, RecordTasklet record) {
        Step partitioned = workers == null ? localPartitions(run, plan) : remotePartitions(run, plan);
        JobBuilder job = new JobBuilder(MigrationExecutions.JOB_NAME, batch.jobRepository());
        if (record == null) {
            return job.start(partitioned).build();
        }
        Step recordStep = new StepBuilder("record:" + run.id(), batch.jobRepository())
                .tasklet(record, batch.transactionManager())
                .build();
        return job.start(partitioned).next(recordStep).build();
    }

    /** Partitions run by {@code --threads} threads of this process. */
    private Step localPartitions(DataMigrationRun run, PartitionPlan plan) {
        String workerName = MigrationExecutions.workerStepName(run.id());
        SimpleAsyncTaskExecutor partitionThreads = new SimpleAsyncTaskExecutor("partition-");
        partitionThreads.setConcurrencyLimit(run.settings().threads());
        return new StepBuilder(MigrationExecutions.managerStepName(run.id()), batch.jobRepository())
                .partitioner(workerName, plan.partitioner())
                .step(new PartitionWorkerStep(workerName, batch.jobRepository(), batch.transactionManager(), run))
                .gridSize(plan.count())
                .taskExecutor(partitionThreads)
                .build();
    }

    /**
     * Partitions sent as requests to the worker processes' queue; this manager then reads their state from the job
     * repository until every one has ended (Spring Batch's remote partitioning, polling mode: no reply travels back),
     * within the bounds of {@link dev.redisombatch.batch.remote.RemotePartitionHandler}.
     */
    private Step remotePartitions(DataMigrationRun run, PartitionPlan plan) {
        String workerName = MigrationExecutions.workerStepName(run.id());
        return new StepBuilder(MigrationExecutions.managerStepName(run.id()), batch.jobRepository())
                .partitioner(workerName, plan.partitioner())
                .partitionHandler(workers.handler(batch.jobRepository(), workerName, run.id()))
                .gridSize(plan.count())
                .build();
    }
}
