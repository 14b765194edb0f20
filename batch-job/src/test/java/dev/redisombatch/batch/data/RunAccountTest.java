package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.data.partition.ScanSlice;
import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.step.DataMigrationRun;
import dev.redisombatch.batch.data.step.DataRunContext;
import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.data.step.ErrorBudget;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.JobRepositorySettings;
import dev.redisombatch.batch.jobs.ResumableInstance;
import dev.redisombatch.batch.jobs.RunIdentity;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.ops.MigrationMeters;
import dev.redisombatch.batch.ops.MigrationProgress;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.state.Direction;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * {@link RunAccount}: what the record step asks of a run (its checkpoints, its counts over the generation, how long
 * the generation ran) is read from the job repository once per instance, however often it is asked.
 */
class RunAccountTest {

    private static final String ID = "m1";

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    static final EngineFixture fixture = EngineFixture.emptiedForEachTest(redis);

    @TempDir
    Path tempDir;

    /** A job repository of each test's own: the instances a run's account spans are all the job's. */
    private BatchInfrastructure batch;

    @BeforeEach
    void open() {
        batch = BatchInfrastructure.open(JobRepositorySettings.of("jdbc:h2:file:" + tempDir + "/jobs"), 4);
    }

    @AfterEach
    void close() {
        batch.close();
    }

    private static RunIdentity identity(String migrationId) {
        return new RunIdentity(MigrationExecutions.JOB_NAME, migrationId, "127.0.0.1:6379/0", "apply", 0, "c1");
    }

    /** Runs one walk of two partitions, each reading {@code readPerPartition} documents; returns its instance. */
    private JobInstance walk(RunIdentity identity, long readPerPartition) throws Exception {
        ResumableInstance instance = ResumableInstance.find(batch.jobRepository(), batch.jobOperator(), identity);
        Job job = new JobBuilder(MigrationExecutions.JOB_NAME, batch.jobRepository())
                .start(partition(identity.migrationId(), 0, readPerPartition))
                .next(partition(identity.migrationId(), 1, readPerPartition))
                .build();
        return batch.jobOperator().start(job, instance.parameters()).getJobInstance();
    }

    private Step partition(String migrationId, int slice, long read) {
        String name = MigrationExecutions.workerStepName(migrationId) + ":p0-s00" + slice;
        return new StepBuilder(name, batch.jobRepository())
                .tasklet(
                        (contribution, chunk) -> {
                            SliceCheckpoint.start("user:*", RedisType.HASH, "", new ScanSlice(slice, 1), 0, SlotSet.ALL)
                                    .at("0", "run", true, true, new DocumentCounts(read, 0, read, 0, 0, 0, 0))
                                    .writeTo(contribution.getStepExecution().getExecutionContext());
                            return RepeatStatus.FINISHED;
                        },
                        batch.transactionManager())
                .build();
    }

    private static DataMigrationRun run(Direction direction) {
        DataMigration migration = new DataMigration() {
            @Override
            public String id() {
                return ID;
            }

            @Override
            public KeySelector keys() {
                return KeySelector.hashes("user:*");
            }

            @Override
            public Change up(Document document) {
                throw new AssertionError("not walked here");
            }
        };
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        DataRunContext context = new DataRunContext(
                fixture.endpoint(),
                DataStepSettings.defaults(),
                ErrorBudget.unlimited(),
                () -> {},
                new StopSignal(),
                metrics);
        return new DataMigrationRun(
                migration, direction, 0, context, new MigrationProgress(ID, 2, 0, MigrationMeters.of(metrics, ID)));
    }

    /** The job repository, counting the calls made on it by name. */
    private JobRepository counting(Map<String, AtomicInteger> calls) {
        JobRepository real = batch.jobRepository();
        return (JobRepository) Proxy.newProxyInstance(
                JobRepository.class.getClassLoader(),
                new Class<?>[] {JobRepository.class},
                (proxy, method, arguments) -> {
                    calls.computeIfAbsent(method.getName(), any -> new AtomicInteger())
                            .incrementAndGet();
                    try {
                        return method.invoke(real, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static int count(Map<String, AtomicInteger> calls, String method) {
        return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    @Test
    void aRecordStepReadsEachInstanceOfTheGenerationOnce() throws Exception {
        walk(identity(ID), 10);
        walk(identity("other"), 1000);
        JobInstance rewalk = walk(identity(ID), 7);
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        RunAccount account =
                new RunAccount(new MigrationExecutions(counting(calls)), run(Direction.APPLY), identity(ID), rewalk);

        // As the record step asks: the checkpoints (topology, coverage), the counts, the duration.
        assertThat(account.checkpoints()).hasSize(2);
        assertThat(account.checkpoints()).hasSize(2);
        DocumentCounts counts = account.counts();
        assertThat(account.durationOfGeneration()).isNotNegative();

        // Both instances of the generation, not the other migration's.
        assertThat(counts.read()).isEqualTo(2 * 10 + 2 * 7);
        assertThat(counts.unchanged()).isEqualTo(2 * 10 + 2 * 7);
        // One read of each of the generation's two instances; one listing of the job's three instances.
        assertThat(count(calls, "getJobExecutions")).isEqualTo(2);
        assertThat(count(calls, "getJobInstances")).isEqualTo(1);
        assertThat(count(calls, "getLastJobExecution")).isEqualTo(3);
    }

    @Test
    void aRewalkCountsOnlyItselfAndReadsOnlyItself() throws Exception {
        walk(identity(ID), 10);
        JobInstance rewalk = walk(identity(ID), 7);
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        RunAccount account =
                new RunAccount(new MigrationExecutions(counting(calls)), run(Direction.REWALK), identity(ID), rewalk);

        account.checkpoints();
        assertThat(account.counts().read()).isEqualTo(2 * 7);
        assertThat(count(calls, "getJobExecutions")).isEqualTo(1);
        assertThat(count(calls, "getJobInstances")).isZero();
    }
}
