package dev.redisombatch.batch.jobs;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What makes two runs of a migration the same run, so that the second continues the first: the migration, the Redis
 * target, the mode (direction, dry run, schema replace mode) and the generation of the migration's state. Never a run
 * counter: the same command after a failure continues the same job instance. The code's checksum travels along
 * without identifying, so that a resume can tell when the code changed in between.
 */
public record RunIdentity(String jobName, String migrationId, String target, String mode, long generation,
        String checksum) {

    static final String MIGRATION = "migration.id";
    static final String TARGET = "redis.target";
    static final String MODE = "mode";
    static final String GENERATION = "generation";
    static final String ATTEMPT = "attempt";
    static final String CHECKSUM = "checksum";

    JobParameters parameters(long attempt) {
        return new JobParametersBuilder()
                .addString(MIGRATION, migrationId)
                .addString(TARGET, target)
                .addString(MODE, mode)
                .addLong(GENERATION, generation)
                .addLong(ATTEMPT, attempt)
                .addString(CHECKSUM, checksum, false)
                .toJobParameters();
    }

    /** Whether {@code parameters} are those of a run of the same migration, target and mode (any generation). */
    boolean sameRunAs(RunIdentity other) {
        return migrationId.equals(other.migrationId) && target.equals(other.target) && mode.equals(other.mode);
    }

    /** The identity a run's job parameters carry. */
    public static RunIdentity of(String jobName, JobParameters parameters) {
        Long generation = parameters.getLong(GENERATION);
        return new RunIdentity(jobName, parameters.getString(MIGRATION), parameters.getString(TARGET),
                parameters.getString(MODE), generation == null ? 0 : generation, parameters.getString(CHECKSUM));
    }
}
