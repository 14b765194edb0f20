package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.command.RedisOmBatch;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.Redaction;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.GracefulStop;
import dev.redisombatch.batch.ops.StopSignal;
import java.io.PrintStream;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;

/**
 * The command line: checks the arguments, lets Spring Boot prepare the environment (configuration files, profiles,
 * environment variables, logging), binds the settings, runs the chosen job through {@link RedisOmBatch} and renders
 * its result. Every failure ends here, in one line on standard error, with the exit code of its {@link Failure}.
 */
public final class Cli {

    /** Environment variables are read with this prefix: {@code REDIS_OM_BATCH_REDIS_URL} is {@code redis.url}. */
    static final String ENVIRONMENT_PREFIX = "redis-om-batch";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;

    public Cli(PrintStream out, PrintStream err, Map<String, String> environment) {
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    /** The Spring context holds nothing: the job builds what it needs, only when it needs it. */
    @Configuration(proxyBeanMethods = false)
    static class EmptyContext {
    }

    public int run(String... args) {
        StopSignal stop = new StopSignal();
        GracefulStop graceful = null;
        int exitCode = Failure.INTERRUPTED.exitCode();
        try {
            CommandLineArguments arguments = CommandLineArguments.parse(args);
            if (arguments.help()) {
                out.print(HelpText.render());
                return exitCode = Failure.SUCCESS_EXIT_CODE;
            }
            if (arguments.version()) {
                out.println(Version.describe());
                return exitCode = Failure.SUCCESS_EXIT_CODE;
            }
            // Kept open for the whole run: closing it would also wind down the logging Spring Boot set up.
            try (ConfigurableApplicationContext context = startSpring(arguments, environment)) {
                Settings settings = SettingsLoader.load(context.getEnvironment(), environment);
                graceful = GracefulStop.install(stop);
                Object result = Jobs.run(settings, stop);
                if (settings.job().format() == JobOptions.Format.json) {
                    new JsonRenderer(out).render(settings.job().job().name(), result);
                } else {
                    new TextRenderer(out).render(result);
                }
                Jobs.throwFailureOf(settings, result);
                return exitCode = Failure.SUCCESS_EXIT_CODE;
            }
        } catch (Throwable t) {
            RedisOmBatchException failure = Failures.classify(t);
            if (stop.isRequested() && failure.failure() != Failure.STOPPED && failure.failure().exitCode() == 1) {
                failure = new RedisOmBatchException(Failure.STOPPED, failure.getMessage(), failure);
            }
            report(failure);
            return exitCode = failure.failure().exitCode();
        } finally {
            if (graceful != null) {
                graceful.finished(exitCode);
            }
        }
    }

    /** The settings the arguments, this environment and the configuration files give; for tests. */
    static Settings readSettings(Map<String, String> environment, String... args) {
        try (ConfigurableApplicationContext context = startSpring(CommandLineArguments.parse(args), environment)) {
            return SettingsLoader.load(context.getEnvironment(), environment);
        }
    }

    private static ConfigurableApplicationContext startSpring(CommandLineArguments arguments,
            Map<String, String> variables) {
        SpringApplication application = new SpringApplication(EmptyContext.class);
        // The environment variables are the ones given (the process' own, or a test's), read under the prefix.
        application.setEnvironment(new StandardEnvironment() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public Map<String, Object> getSystemEnvironment() {
                return (Map) variables;
            }
        });
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setEnvironmentPrefix(ENVIRONMENT_PREFIX);
        // Our own hook waits for a stopping run to save its checkpoints; Spring's would close things under it.
        application.setRegisterShutdownHook(false);
        return application.run(arguments.asArray());
    }

    private void report(RedisOmBatchException failure) {
        String advice = failure.failure().advice();
        err.println("redis-om-batch: " + Redaction.mask(failure.getMessage())
                + (advice.isEmpty() ? "" : ". " + advice));
    }
}
