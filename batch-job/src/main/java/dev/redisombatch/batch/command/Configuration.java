package dev.redisombatch.batch.command;

import dev.redisombatch.batch.builtin.DatetimeSettings;
import dev.redisombatch.batch.data.DataStepSettings;
import dev.redisombatch.batch.jobs.JobRepositorySettings;
import dev.redisombatch.batch.ops.LockSettings;
import dev.redisombatch.batch.ops.MetricsSettings;
import dev.redisombatch.batch.plan.PlanSettings;
import dev.redisombatch.batch.redis.RedisSettings;
import dev.redisombatch.batch.schema.SchemaSettings;

/**
 * Everything {@link RedisOmBatch} is configured with, one immutable settings type per concern, each with named
 * defaults and validated when built.
 */
public record Configuration(RedisSettings redis, JobRepositorySettings jobRepository, DataStepSettings data,
        PlanSettings plan, DatetimeSettings datetime, SchemaSettings schema, LockSettings lock,
        MetricsSettings metrics) {

    /** Every default, against the Redis and job repository given: for tests and programmatic use. */
    public static Configuration defaults(String redisUrl, String jobRepositoryUrl) {
        return new Configuration(RedisSettings.of(redisUrl), JobRepositorySettings.of(jobRepositoryUrl),
                DataStepSettings.defaults(), PlanSettings.defaults(), DatetimeSettings.none(),
                SchemaSettings.defaults(), LockSettings.defaults(), MetricsSettings.none());
    }
}
