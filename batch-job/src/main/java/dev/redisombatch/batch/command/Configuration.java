package dev.redisombatch.batch.command;

import dev.redisombatch.batch.builtin.DatetimeSettings;
import dev.redisombatch.batch.copy.CopySettings;
import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.jobs.JobRepositorySettings;
import dev.redisombatch.batch.ops.LockSettings;
import dev.redisombatch.batch.ops.MetricsSettings;
import dev.redisombatch.batch.plan.PlanSettings;
import dev.redisombatch.batch.redis.RedisSettings;
import dev.redisombatch.batch.remote.RemoteSettings;
import dev.redisombatch.batch.schema.SchemaSettings;
import dev.redisombatch.batch.settings.InvalidSettingException;

/**
 * Everything {@link RedisOmBatch} is configured with, one immutable settings type per concern, each with named
 * defaults and validated when built.
 */
public record Configuration(
        RedisSettings redis,
        CopySettings copy,
        JobRepositorySettings jobRepository,
        DataStepSettings data,
        RemoteSettings remote,
        PlanSettings plan,
        DatetimeSettings datetime,
        SchemaSettings schema,
        LockSettings lock,
        MetricsSettings metrics) {

    public Configuration {
        if (remote.remote() && data.dryRun()) {
            // A dry run's examples and counts stay in the process that walks; workers would keep them to themselves.
            throw new InvalidSettingException(
                    "workers", "a dry run runs its partitions here: drop --workers=remote" + " (or --dry-run)");
        }
        if (copy.targetUrl() != null && data.dryRun()) {
            // Not built yet: a dry run of a copy would have to transform on the source's data without writing it.
            throw new InvalidSettingException(
                    CopySettings.TARGET_URL, "a copy to another Redis does not run as a dry run yet: drop --dry-run");
        }
    }

    /** The Redis the migrations act on: the target of a copy ({@code --target.url}), else {@code --redis.url}. */
    public RedisSettings migrated() {
        return copy.target(redis).orElse(redis);
    }

    /** Every default, against the Redis and job repository given: for tests and programmatic use. */
    public static Configuration defaults(String redisUrl, String jobRepositoryUrl) {
        return new Configuration(
                RedisSettings.of(redisUrl),
                CopySettings.none(),
                JobRepositorySettings.of(jobRepositoryUrl),
                DataStepSettings.defaults(),
                RemoteSettings.defaults(),
                PlanSettings.defaults(),
                DatetimeSettings.none(),
                SchemaSettings.defaults(),
                LockSettings.defaults(),
                MetricsSettings.none());
    }
}
