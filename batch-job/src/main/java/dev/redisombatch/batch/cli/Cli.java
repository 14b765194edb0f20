package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.command.RedisOmBatch;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.Redaction;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.GracefulStop;
import dev.redisombatch.batch.ops.ProgressBar;
import dev.redisombatch.batch.ops.StatusLine;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.results.Result;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The command line: checks the arguments, reads the settings from every source ({@link SettingsEnvironment}), runs
 * the chosen job through {@link RedisOmBatch} and renders its result. Every failure ends here, in one line on standard error, with the exit code of its {@link Failure}.
 */
public final class Cli {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    private final Terminal terminal;

    /** The command line of this process, which may ask at its terminal when it has one. */
    public Cli(PrintStream out, PrintStream err, Map<String, String> environment) {
        this(out, err, environment, Terminal.system());
    }

    /** @param terminal where {@code migrateData} may ask before writing; null for none */
    Cli(PrintStream out, PrintStream err, Map<String, String> environment, Terminal terminal) {
        this.out = out;
        this.err = err;
        this.environment = environment;
        this.terminal = terminal;
    }

    public int run(String... args) {
        StopSignal stop = new StopSignal();
        GracefulStop graceful = null;
        int exitCode = Failure.INTERRUPTED.exitCode();
        Settings settings = null;
        boolean rendered = false;
        try {
            CommandLineArguments arguments = CommandLineArguments.parse(args);
            if (arguments.help()) {
                out.print(arguments.helpTopic() == null ? HelpText.render() : HelpText.page(arguments.helpTopic()));
                return exitCode = Failure.SUCCESS_EXIT_CODE;
            }
            if (arguments.version()) {
                out.println(Version.describe());
                return exitCode = Failure.SUCCESS_EXIT_CODE;
            }
            settings = SettingsLoader.load(SettingsEnvironment.prepare(arguments, environment), environment);
            boolean bar = settings.job()
                    .progressDisplay()
                    .drawsBar(Terminal.standardErrorIsTerminal(), environment.get("TERM"));
            StatusLine.use(bar, bar ? ProgressBar.columns(Terminal.columns(environment)) : ProgressBar.DEFAULT_COLUMNS);
            graceful = GracefulStop.install(stop);
            Result result = CommandDispatch.run(settings, stop, terminal);
            if (settings.job().format() == JobOptions.Format.json) {
                new JsonRenderer(out).render(settings.job().job().name(), result);
            } else {
                result.renderWith(new TextRenderer(out));
            }
            rendered = true;
            CommandDispatch.throwFailureOf(settings, result);
            return exitCode = Failure.SUCCESS_EXIT_CODE;
        } catch (Throwable t) {
            RedisOmBatchException failure = stop.reclassify(Failures.classify(t));
            report(failure);
            if (!rendered && wantsJson(settings, args)) {
                new JsonRenderer(out)
                        .renderFailure(
                                settings == null
                                        ? jobNamed(args)
                                        : settings.job().job().name(),
                                failure);
            }
            return exitCode = failure.failure().exitCode();
        } finally {
            StatusLine.use(false, ProgressBar.DEFAULT_COLUMNS);
            if (graceful != null) {
                graceful.finished(exitCode);
            }
        }
    }

    /** The settings the arguments, this environment and the configuration files give; for tests. */
    static Settings readSettings(Map<String, String> environment, String... args) {
        return SettingsLoader.load(
                SettingsEnvironment.prepare(CommandLineArguments.parse(args), environment), environment);
    }

    /**
     * Whether the output is to be JSON, also when the settings could not be read: then as the command line or the
     * environment ask for it (a configuration file that cannot be read cannot be asked).
     */
    private boolean wantsJson(Settings settings, String... args) {
        if (settings != null) {
            return settings.job().format() == JobOptions.Format.json;
        }
        return List.of(args).contains("--format=json")
                || "json".equalsIgnoreCase(environment.get("REDIS_OM_BATCH_FORMAT"));
    }

    private static String jobNamed(String... args) {
        return Stream.of(args)
                .filter(arg -> arg.startsWith("--job="))
                .map(arg -> arg.substring("--job=".length()))
                .findFirst()
                .orElse(null);
    }

    private void report(RedisOmBatchException failure) {
        String advice = failure.advice();
        err.println(
                "redis-om-batch: " + Redaction.mask(failure.getMessage()) + (advice.isEmpty() ? "" : ". " + advice));
    }
}
