package dev.redisombatch.batch.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

/**
 * The job instance a migration run continues. An instance is identified by the migration id, the Redis target and
 * the mode, never by a run counter, so the same command after a failure continues the same instance. An instance
 * that completed earlier while the migration is to run again (its mark was removed, it was rolled back, another dry
 * run) is history: the next attempt is a new instance. An execution left STARTED by a killed process is recovered
 * (marked FAILED) so that it can be restarted.
 *
 * @param previous the instance's last execution, {@code null} for a new instance
 */
public record ResumableInstance(JobParameters parameters, JobExecution previous) {

    private static final Logger log = LoggerFactory.getLogger(ResumableInstance.class);

    public static ResumableInstance find(JobRepository jobRepository, JobOperator jobOperator, String jobName,
            String migrationId, String target, String mode) throws Exception {
        for (long attempt = 1; ; attempt++) {
            JobParameters parameters = new JobParametersBuilder()
                    .addString("migration.id", migrationId)
                    .addString("redis.target", target)
                    .addString("mode", mode)
                    .addLong("attempt", attempt)
                    .toJobParameters();
            JobInstance instance = jobRepository.getJobInstance(jobName, parameters);
            JobExecution previous = instance == null ? null : jobRepository.getLastJobExecution(instance);
            if (previous == null || previous.getStatus() != BatchStatus.COMPLETED) {
                if (previous != null && previous.isRunning()) {
                    log.warn("{}: execution {} was left {} (its process was killed?); recovering it", migrationId,
                            previous.getId(), previous.getStatus());
                    previous = jobOperator.recover(previous);
                }
                return new ResumableInstance(parameters, previous);
            }
        }
    }
}
