package dev.redisombatch.batch.jobs;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What makes two runs of a migration the same run, so that the second continues the first: the migration, the Redis
 * target, the data it holds (its {@code DatasetMark} token, when the run has one), the mode (direction, dry run,
 * schema replace mode) and the generation of the migration's state. Never a run counter: the same command after a
 * failure continues the same job instance. The code's checksum travels along without identifying, so that a resume
 * can tell when the code changed in between.
 *
 * @param dataset the dataset token; empty for none (schema runs, a dry run on data no run has marked)
 */
public record RunIdentity(
        String jobName,
        String migrationId,
        String target,
        String mode,
        long generation,
        String checksum,
        String dataset) {

    static final String MIGRATION = "migration.id";
    static final String TARGET = "redis.target";
    static final String MODE = "mode";
    static final String GENERATION = "generation";
    static final String ATTEMPT = "attempt";
    static final String CHECKSUM = "checksum";
    static final String DATASET = "redis.dataset";
    /** How a dry run's mode ends: {@code apply-dry-run}, {@code rollback-dry-run}. */
    public static final String DRY_RUN = "-dry-run";

    /** A run bound to no dataset token. */
    public RunIdentity(
            String jobName, String migrationId, String target, String mode, long generation, String checksum) {
        this(jobName, migrationId, target, mode, generation, checksum, "");
    }

    JobParameters parameters(long attempt) {
        JobParametersBuilder parameters = new JobParametersBuilder()
                .addString(MIGRATION, migrationId)
                .addString(TARGET, target)
                .addString(MODE, mode)
                .addLong(GENERATION, generation)
                .addLong(ATTEMPT, attempt)
                .addString(CHECKSUM, checksum, false);
        // Only when there is one: runs without a token keep the identity they had before tokens existed.
        if (!dataset.isEmpty()) {
            parameters.addString(DATASET, dataset);
        }
        return parameters.toJobParameters();
    }

    /** Whether this is a dry run's identity (its mode ends with {@link #DRY_RUN}). */
    public boolean dryRun() {
        return mode.endsWith(DRY_RUN);
    }

    /** Whether {@code parameters} are those of a run of the same migration, target and mode (any generation). */
    boolean sameRunAs(RunIdentity other) {
        return migrationId.equals(other.migrationId) && target.equals(other.target) && mode.equals(other.mode);
    }

    /** Whether this run and {@code other} walk the same data of the same target in the same mode and generation. */
    public boolean sameDataAs(RunIdentity other) {
        return sameRunAs(other) && generation == other.generation && dataset.equals(other.dataset);
    }

    /** The identity a run's job parameters carry. */
    public static RunIdentity of(String jobName, JobParameters parameters) {
        Long generation = parameters.getLong(GENERATION);
        String dataset = parameters.getString(DATASET);
        return new RunIdentity(
                jobName,
                parameters.getString(MIGRATION),
                parameters.getString(TARGET),
                parameters.getString(MODE),
                generation == null ? 0 : generation,
                parameters.getString(CHECKSUM),
                dataset == null ? "" : dataset);
    }
}
