package dev.redisombatch.batch.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** {@link ResumableInstance#find} and {@link RunHistory#unfinished} on a file H2 job repository. */
class ResumableInstanceTest {

    @TempDir
    static Path tempDir;

    /** One repository for the class (opening one costs about a second); each test has a job name of its own. */
    private static BatchInfrastructure infrastructure;

    private String jobName;

    @BeforeAll
    static void open() {
        infrastructure = BatchInfrastructure.open(JobRepositorySettings.of("jdbc:h2:file:" + tempDir + "/jobs"), 4);
    }

    @AfterAll
    static void close() {
        infrastructure.close();
    }

    @BeforeEach
    void nameTheJob(TestInfo test) {
        jobName = "contracts-" + test.getTestMethod().orElseThrow().getName();
    }

    private RunIdentity identity(long generation, String checksum) {
        return new RunIdentity(jobName, "m1", "127.0.0.1:6379/0", "apply", generation, checksum);
    }

    private Job job(boolean fail) {
        Step step = new StepBuilder("work", infrastructure.jobRepository())
                .tasklet(
                        (contribution, context) -> {
                            if (fail) {
                                throw new IllegalStateException("this attempt fails");
                            }
                            return RepeatStatus.FINISHED;
                        },
                        infrastructure.transactionManager())
                .build();
        return new JobBuilder(jobName, infrastructure.jobRepository())
                .start(step)
                .build();
    }

    private JobExecution run(boolean fail, JobParameters parameters) throws Exception {
        return infrastructure.jobOperator().start(job(fail), parameters);
    }

    private ResumableInstance find(RunIdentity identity) throws Exception {
        return ResumableInstance.find(infrastructure.jobRepository(), infrastructure.jobOperator(), identity);
    }

    private static long attempt(ResumableInstance instance) {
        return instance.parameters().getLong(RunIdentity.ATTEMPT);
    }

    @Test
    void withNoHistoryItIsAttemptOneWithNoPrevious() throws Exception {
        ResumableInstance found = find(identity(1, "c1"));

        assertThat(attempt(found)).isEqualTo(1L);
        assertThat(found.previous()).isNull();
        assertThat(found.previousChecksum()).isNull();
        assertThat(found.parameters().getString(RunIdentity.MIGRATION)).isEqualTo("m1");
        assertThat(found.parameters().getLong(RunIdentity.GENERATION)).isEqualTo(1L);
    }

    @Test
    void afterAFailedExecutionItReturnsThatInstance() throws Exception {
        JobExecution failed = run(true, identity(1, "c1").parameters(1));
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);

        ResumableInstance found = find(identity(1, "c1"));

        assertThat(attempt(found)).isEqualTo(1L);
        assertThat(found.previous().getId()).isEqualTo(failed.getId());
        assertThat(found.previous().getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(found.previous().getJobInstance().getInstanceId())
                .isEqualTo(failed.getJobInstance().getInstanceId());

        // Restarting it continues the same instance.
        JobExecution restarted = run(false, found.parameters());
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getJobInstance().getInstanceId())
                .isEqualTo(failed.getJobInstance().getInstanceId());
    }

    @Test
    void afterACompletedExecutionItMovesToANewAttempt() throws Exception {
        assertThat(run(false, identity(1, "c1").parameters(1)).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        ResumableInstance second = find(identity(1, "c1"));
        assertThat(attempt(second)).isEqualTo(2L);
        assertThat(second.previous()).isNull();

        JobExecution failed = run(true, second.parameters());
        ResumableInstance again = find(identity(1, "c1"));
        assertThat(attempt(again)).isEqualTo(2L);
        assertThat(again.previous().getId()).isEqualTo(failed.getId());

        assertThat(run(false, again.parameters()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(attempt(find(identity(1, "c1")))).isEqualTo(3L);
    }

    @Test
    void anExecutionLeftStartedIsRecoveredAsFailed() throws Exception {
        JobParameters parameters = identity(1, "c1").parameters(1);
        JobInstance instance = infrastructure.jobRepository().createJobInstance(jobName, parameters);
        JobExecution killed =
                infrastructure.jobRepository().createJobExecution(instance, parameters, new ExecutionContext());
        killed.setStatus(BatchStatus.STARTED);
        killed.setStartTime(LocalDateTime.now());
        infrastructure.jobRepository().update(killed);
        assertThat(infrastructure
                        .jobRepository()
                        .getJobExecution(killed.getId())
                        .isRunning())
                .isTrue();

        ResumableInstance found = find(identity(1, "c1"));

        assertThat(attempt(found)).isEqualTo(1L);
        assertThat(found.previous().getId()).isEqualTo(killed.getId());
        assertThat(found.previous().getStatus()).isEqualTo(BatchStatus.FAILED);
        JobExecution stored = infrastructure.jobRepository().getJobExecution(killed.getId());
        assertThat(stored.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(stored.getEndTime()).isNotNull();
        // Now it can be restarted.
        JobExecution restarted = run(false, found.parameters());
        assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(instance.getInstanceId());
    }

    @Test
    void anAbandonedExecutionIsSkipped() throws Exception {
        JobExecution failed = run(true, identity(1, "c1").parameters(1));
        infrastructure.jobOperator().abandon(failed);

        ResumableInstance found = find(identity(1, "c1"));

        assertThat(attempt(found)).isEqualTo(2L);
        assertThat(found.previous()).isNull();
        assertThat(RunHistory.unfinished(infrastructure.jobRepository(), jobName))
                .isEmpty();
    }

    @Test
    void anUnfinishedRunOfAnOlderGenerationIsNotResumed() throws Exception {
        JobExecution old = run(true, identity(1, "c1").parameters(1));

        ResumableInstance found = find(identity(2, "c1"));

        assertThat(attempt(found)).isEqualTo(1L);
        assertThat(found.previous()).isNull();
        assertThat(found.parameters().getLong(RunIdentity.GENERATION)).isEqualTo(2L);
        List<RunHistory.Unfinished> unfinished = RunHistory.unfinished(infrastructure.jobRepository(), jobName);
        assertThat(unfinished).hasSize(1);
        assertThat(unfinished.get(0).execution().getId()).isEqualTo(old.getId());
        assertThat(unfinished.get(0).identity().generation()).isEqualTo(1L);
        assertThat(unfinished.get(0).identity().migrationId()).isEqualTo("m1");

        // The new generation's run starts a new instance.
        JobExecution newer = run(false, found.parameters());
        assertThat(newer.getJobInstance().getInstanceId())
                .isNotEqualTo(old.getJobInstance().getInstanceId());
        assertThat(newer.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    @Test
    void runHistoryListsTheLatestUnfinishedExecutionOfEachRunNewestFirst() throws Exception {
        RunIdentity other = new RunIdentity(jobName, "m2", "127.0.0.1:6379/0", "apply", 1, "c1");
        JobExecution m1First = run(true, identity(1, "c1").parameters(1));
        JobExecution m1Second = run(true, identity(1, "c1").parameters(1));
        JobExecution m2 = run(true, other.parameters(1));
        run(false, new RunIdentity(jobName, "m3", "127.0.0.1:6379/0", "apply", 1, "c1").parameters(1));

        List<RunHistory.Unfinished> unfinished = RunHistory.unfinished(infrastructure.jobRepository(), jobName);

        assertThat(unfinished).extracting(run -> run.execution().getId()).containsExactly(m2.getId(), m1Second.getId());
        assertThat(m1Second.getId()).isGreaterThan(m1First.getId());
    }

    @Test
    void theChecksumDoesNotIdentifyTheRunButTellsWhenTheCodeChanged() throws Exception {
        JobExecution failed = run(true, identity(1, "checksum-a").parameters(1));

        ResumableInstance found = find(identity(1, "checksum-b"));

        assertThat(attempt(found)).isEqualTo(1L);
        assertThat(found.previous().getId()).isEqualTo(failed.getId());
        assertThat(found.previousChecksum()).isEqualTo("checksum-a");
        assertThat(found.parameters().getString(RunIdentity.CHECKSUM)).isEqualTo("checksum-b");

        // After a restart with the new code, the previous execution is the one that ran the new checksum.
        run(true, found.parameters());
        ResumableInstance later = find(identity(1, "checksum-b"));
        assertThat(later.previousChecksum()).isEqualTo("checksum-b");
    }

    /**
     * Spring Batch will not restart an execution whose end it could not record (UNKNOWN): it is abandoned, with a
     * warning, and the run starts a new instance instead of failing the same way on every attempt.
     */
    @Test
    void anExecutionLeftUnknownIsAbandonedAndANewInstanceStarts() throws Exception {
        JobExecution failed = run(true, identity(1, "c1").parameters(1));
        failed.setStatus(BatchStatus.UNKNOWN);
        infrastructure.jobRepository().update(failed);

        ResumableInstance found = find(identity(1, "c1"));

        assertThat(attempt(found)).isEqualTo(2L);
        assertThat(found.previous()).isNull();
        assertThat(infrastructure
                        .jobRepository()
                        .getJobExecution(failed.getId())
                        .getStatus())
                .isEqualTo(BatchStatus.ABANDONED);
        assertThat(RunHistory.unfinished(infrastructure.jobRepository(), jobName))
                .isEmpty();
        assertThat(run(false, found.parameters()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    @Test
    void anInstanceLeftWithoutAnExecutionIsPassedOverForTheNextAttempt() throws Exception {
        // What a kill -9 between saving a job instance and its first execution leaves behind.
        infrastructure
                .jobRepository()
                .createJobInstance(jobName, identity(1, "c1").parameters(1));

        ResumableInstance found = find(identity(1, "c1"));

        assertThat(attempt(found)).isEqualTo(2L);
        assertThat(found.previous()).isNull();
        assertThat(run(false, found.parameters()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }
}
