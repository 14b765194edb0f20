package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.demo.DemoModel;
import dev.redisombatch.batch.ops.ProgressDisplay;
import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.nio.file.Path;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/** Which job runs, and the options that only some jobs take. */
public record JobOptions(
        @Name("job")
        @DefaultValue("migrateData")
        @Help(
                value = "The job to run; --help=jobs says what each does (migrateData: the pending schema"
                        + " migrations, then the data migrations).",
                placeholder = "NAME")
        Job job,

        @Name("command") @DefaultValue("run") @Help(value = "migrateSchema: what it does.", placeholder = "COMMAND")
        SchemaCommand command,

        @Name("migration")
        @Help(value = "rollback, stamp, migrateSchema --command=rollback: the migration id.", placeholder = "ID")
        String migration,

        @Name("all") @DefaultValue("false") @Help(value = "stamp: every pending migration.", placeholder = "BOOL")
        boolean all,

        @Name("detailed")
        @DefaultValue("false")
        @Help(value = "status: add description, dependencies, canRun and whether down exists.", placeholder = "BOOL")
        boolean detailed,

        @Name("format")
        @DefaultValue("text")
        @Help(
                value = "How results are printed on standard output; json is a stable format (--help=json-output)."
                        + " Logs go to standard error either way.",
                placeholder = "FORMAT")
        Format format,

        @Name("check")
        @DefaultValue("false")
        @Help(value = "status: exit 7 when anything is pending, edited or drifted (a CI gate).", placeholder = "BOOL")
        boolean check,

        @Name("check-data")
        @DefaultValue("false")
        @Help(
                value = "verify: also run applied migrations over their keys, writing nothing, and count documents"
                        + " they would still change; with --target.url, compare the target with the source instead.",
                placeholder = "BOOL")
        boolean checkData,

        @Name("sample")
        @Help(
                value = "verify --check-data: look at N documents per key pattern instead of all (with --target.url, N"
                        + " source keys per master, and no look for keys only on the target).",
                placeholder = "N")
        Long sample,

        @Name("abandon")
        @DefaultValue("false")
        @Help(
                value = "repair: mark every unfinished run abandoned, so that none is ever resumed (a dry run still"
                        + " walking in another process is left alone).",
                placeholder = "BOOL")
        boolean abandon,

        @Name("checksums")
        @DefaultValue("false")
        @Help(
                value = "repair: record the checksum of the code at hand for every applied data migration whose code"
                        + " changed since it was applied (the record keeps the old one, when and by whom).",
                placeholder = "BOOL")
        boolean checksums,

        @Name("name")
        @Help(
                value = "create, migrateSchema --command=create: the new migration's name, snake_case.",
                placeholder = "NAME")
        String name,

        @Name("dir")
        @DefaultValue("migrations")
        @Help(value = "create: the Maven project to write the migration into.", placeholder = "DIR")
        Path dir,

        @Name("model")
        @DefaultValue("user")
        @Help(
                value = "generateDemoData: what to write: user (Redis OM HashModel hashes, :app.models.User:*) or"
                        + " customer (Redis OM JsonModel documents, :app.models.Customer:*, with ISO dates at"
                        + " created_at, address.since and orders[*].created_at; needs RedisJSON).",
                placeholder = "MODEL")
        DemoModel model,

        @Name("count")
        @DefaultValue("100000")
        @Help(value = "generateDemoData: users or customers to write.", placeholder = "N")
        long count,

        @Name("seed") @DefaultValue("42") @Help(value = "generateDemoData: random seed.", placeholder = "N")
        long seed,

        @Name("yes")
        @DefaultValue("false")
        @Help(
                value = "migrateData: do not ask before writing. Only a run at a terminal asks; a pipe, cron, CI or"
                        + " Kubernetes never does.",
                placeholder = "BOOL")
        boolean yes,

        @Name("verbose")
        @DefaultValue("false")
        @Help(
                value = "The tool's own logging (dev.redisombatch) at DEBUG; a logging.level.dev.redisombatch option"
                        + " wins over it.",
                placeholder = "BOOL")
        boolean verbose,

        @Name("progress.display")
        @DefaultValue(JobOptions.DEFAULT_PROGRESS_DISPLAY)
        @Help(
                value = "How a data migration shows its progress on standard error: bar, one line redrawn in place"
                        + " (migration id, share walked, keys read, keys/s, time left); log, a line every"
                        + " --progress.interval; auto, the bar when standard error is a terminal whose TERM is set"
                        + " and not dumb, log lines otherwise (a pipe, a file, cron, Kubernetes).",
                placeholder = "HOW")
        ProgressDisplay progressDisplay) {

    public static final String DEFAULT_PROGRESS_DISPLAY = "auto";

    /** The jobs this tool runs. */
    public enum Job {
        migrateData,
        migrateSchema,
        status,
        verify,
        rollback,
        stamp,
        repair,
        create,
        generateDemoData,
        worker
    }

    /** What {@code --job=migrateSchema} does. */
    public enum SchemaCommand {
        status,
        run,
        create,
        rollback
    }

    /** How results are printed. */
    public enum Format {
        text,
        json
    }

    public JobOptions {
        boolean schemaRollback = job == Job.migrateSchema && command == SchemaCommand.rollback;
        if ((job == Job.rollback || schemaRollback || (job == Job.stamp && !all)) && blank(migration)) {
            throw new InvalidSettingException(
                    "migration",
                    "--job=" + job + (schemaRollback ? " --command=rollback" : "") + " needs --migration=ID"
                            + (job == Job.stamp ? " or --all" : ""));
        }
        boolean schemaCreate = job == Job.migrateSchema && command == SchemaCommand.create;
        if ((job == Job.create || schemaCreate) && blank(name)) {
            throw new InvalidSettingException(
                    "name", "--job=" + job + (schemaCreate ? " --command=create" : "") + " needs --name=NAME");
        }
        if (sample != null) {
            InvalidSettingException.requireAtLeast("sample", sample, 1);
        }
        InvalidSettingException.requireAtLeast("count", count, 0);
    }

    /** Documents per key pattern verify looks at; {@code Long.MAX_VALUE} for all. */
    public long sampleSize() {
        return sample == null ? Long.MAX_VALUE : sample;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
