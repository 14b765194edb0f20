package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.builtin.DatetimeSettings;
import dev.redisombatch.batch.command.Configuration;
import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.jobs.JobRepositorySettings;
import dev.redisombatch.batch.ops.LockSettings;
import dev.redisombatch.batch.ops.MetricsSettings;
import dev.redisombatch.batch.plan.PlanSettings;
import dev.redisombatch.batch.redis.RedisSettings;
import dev.redisombatch.batch.remote.RemoteSettings;
import dev.redisombatch.batch.schema.SchemaSettings;
import java.util.List;

/** Every setting of one invocation: the job chosen and the configuration the tool runs with. */
public record Settings(JobOptions job, Configuration configuration) {

    /**
     * The settings types, in the order {@code --help} lists them. Each is bound as a whole from every source; its
     * components' {@code @Name}s are the option keys.
     */
    static final List<Class<? extends Record>> GROUPS = List.of(
            JobOptions.class,
            RedisSettings.class,
            JobRepositorySettings.class,
            DataStepSettings.class,
            RemoteSettings.class,
            PlanSettings.class,
            DatetimeSettings.class,
            SchemaSettings.class,
            LockSettings.class,
            MetricsSettings.class);

    /** The headings {@code --help} shows for the groups, in the same order. */
    static final List<String> HEADINGS = List.of(
            "Job",
            "Redis connection",
            "Job repository",
            "Data migrations",
            "Several nodes",
            "Which migrations",
            "Built-in datetime migration",
            "Schema migrations",
            "Run lock",
            "Metrics");
}
