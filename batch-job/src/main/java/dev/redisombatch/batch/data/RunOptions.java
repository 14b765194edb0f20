package dev.redisombatch.batch.data;

import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.data.step.FailureMode;
import dev.redisombatch.batch.data.store.WriteMode;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * The options that decide how a run's documents are written, and the configuration of a built-in migration, carried
 * with the run's job (as job parameters that do not identify it), so that a worker process runs a manager's
 * partitions the way the manager was told to, whatever options the worker itself was started with.
 *
 * @param configuration a built-in migration's configuration ({@code ConfiguredMigration}); empty for others
 */
record RunOptions(
        WriteMode writeMode,
        FailureMode failureMode,
        int chunkSize,
        int scanCount,
        Long maxErrors,
        Map<String, String> configuration) {

    private static final String PREFIX = "run.";
    private static final String CONFIGURATION = "run.configuration.";

    static RunOptions of(DataStepSettings settings, Map<String, String> configuration) {
        return new RunOptions(
                settings.writeMode(),
                settings.failureMode(),
                settings.chunkSize(),
                settings.scanCount(),
                settings.maxErrors(),
                Map.copyOf(configuration));
    }

    JobParameters addTo(JobParameters parameters) {
        JobParametersBuilder builder = new JobParametersBuilder(parameters)
                .addString(PREFIX + "write-mode", writeMode.name(), false)
                .addString(PREFIX + "failure-mode", failureMode.name(), false)
                .addLong(PREFIX + "chunk-size", (long) chunkSize, false)
                .addLong(PREFIX + "scan-count", (long) scanCount, false);
        if (maxErrors != null) {
            builder.addLong(PREFIX + "max-errors", maxErrors, false);
        }
        configuration.forEach((name, value) -> builder.addString(CONFIGURATION + name, value, false));
        return builder.toJobParameters();
    }

    /** The options a job carries; {@code fallback}'s for a job started before they were carried. */
    static RunOptions from(JobParameters parameters, DataStepSettings fallback) {
        Map<String, String> configuration = new TreeMap<>();
        for (JobParameter<?> parameter : parameters) {
            if (parameter.name().startsWith(CONFIGURATION)) {
                configuration.put(
                        parameter.name().substring(CONFIGURATION.length()),
                        parameter.value().toString());
            }
        }
        String writeMode = parameters.getString(PREFIX + "write-mode");
        if (writeMode == null) {
            return of(fallback, configuration);
        }
        return new RunOptions(
                WriteMode.valueOf(writeMode),
                FailureMode.valueOf(parameters.getString(PREFIX + "failure-mode")),
                parameters.getLong(PREFIX + "chunk-size").intValue(),
                parameters.getLong(PREFIX + "scan-count").intValue(),
                parameters.getLong(PREFIX + "max-errors"),
                configuration);
    }

    /** {@code settings} with these options in place of its own. */
    DataStepSettings applyTo(DataStepSettings settings) {
        return new DataStepSettings(
                settings.partitions(),
                settings.threads(),
                chunkSize,
                scanCount,
                failureMode,
                maxErrors,
                writeMode,
                false,
                settings.skipLogCapacity(),
                settings.progressInterval());
    }
}
