package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.builtin.DatetimeSettings;
import dev.redisombatch.batch.command.Configuration;
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
            CopySettings.class,
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
            "Copy to another Redis",
            "Job repository",
            "Data migrations",
            "Several nodes",
            "Which migrations",
            "Built-in datetime migration",
            "Schema migrations",
            "Run lock",
            "Metrics");

    public Settings {
        refuseUnused(job, configuration.schema());
        refuseTargetUnlessRead(job, configuration.copy());
        refuseFollowUnlessMigrate(job, configuration.copy());
    }

    /** Only {@code migrateData} copies, so only it can follow the source after the copy. */
    private static void refuseFollowUnlessMigrate(JobOptions job, CopySettings copy) {
        if (copy.follow() && job.job() != JobOptions.Job.migrateData) {
            throw new InvalidSettingException(
                    CopySettings.FOLLOW, "only --job=migrateData follows a copy's source, not --job=" + job.job());
        }
    }

    /**
     * {@code --target.url} means something to {@code migrateData} (copy, then migrate there), {@code status} (of the
     * target) and {@code verify} (the target's migrations, and with {@code --check-data} the target against the source)
     * only: any other job would act on the source, while the operator believes it acts on the target.
     */
    private static void refuseTargetUnlessRead(JobOptions job, CopySettings copy) {
        if (copy.targetUrl() != null
                && job.job() != JobOptions.Job.migrateData
                && job.job() != JobOptions.Job.status
                && job.job() != JobOptions.Job.verify) {
            throw new InvalidSettingException(
                    CopySettings.TARGET_URL,
                    "--job=" + job.job() + " does not take it yet (migrateData, status and verify do); to act on the"
                            + " target,"
                            + " give its URL as --redis.url");
        }
    }

    /**
     * {@code --desired-from} and {@code --index} mean something to schema {@code create} and to the status jobs only
     * (status reads {@code --index} only against a reference); given to any other job they would be ignored, so the
     * operator would believe something was compared that was not.
     */
    private static void refuseUnused(JobOptions job, SchemaSettings schema) {
        boolean schemaJob = job.job() == JobOptions.Job.migrateSchema;
        boolean creates = schemaJob && job.command() == JobOptions.SchemaCommand.create;
        boolean shows =
                job.job() == JobOptions.Job.status || (schemaJob && job.command() == JobOptions.SchemaCommand.status);
        String which = "--job=" + job.job() + (schemaJob ? " --command=" + job.command() : "");
        boolean desiredFrom = schema.desiredFromReference().isPresent();
        boolean indexes = !schema.indexes().isEmpty();
        if (!creates && !shows && (desiredFrom || indexes)) {
            throw new InvalidSettingException(
                    desiredFrom ? SchemaSettings.DESIRED_FROM : "index",
                    which + " does not read it (migrateSchema --command=create or --command=status, and status do)");
        }
        if (shows && indexes && !desiredFrom) {
            throw new InvalidSettingException("index", which + " reads it only with --" + SchemaSettings.DESIRED_FROM);
        }
    }
}
