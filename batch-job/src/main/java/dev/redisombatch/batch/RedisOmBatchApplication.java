package dev.redisombatch.batch;

import dev.redisombatch.batch.cli.CommandDispatcher;
import dev.redisombatch.batch.cli.CommandLineOptions;
import dev.redisombatch.batch.cli.ExitCode;
import dev.redisombatch.batch.cli.UsageException;
import dev.redisombatch.batch.ops.GracefulStop;
import dev.redisombatch.batch.ops.StopSignal;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Entry point. The command line is parsed and checked first, so a bad option costs no connection; Spring then starts
 * with the job repository the options name, and the chosen job runs. The exit code is the {@link ExitCode}.
 */
@SpringBootApplication
public class RedisOmBatchApplication {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLineOptions options;
        try {
            options = CommandLineOptions.parse(args);
        } catch (UsageException e) {
            System.err.println("redis-om-batch: " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        if (options.helpRequested()) {
            System.out.print(CommandLineOptions.usage());
            return ExitCode.SUCCESS.code();
        }
        StopSignal stop = new StopSignal();
        SpringApplication application = new SpringApplication(RedisOmBatchApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        // Spring's own hook would close the job repository under a run that is still stopping; ours waits for it.
        application.setRegisterShutdownHook(false);
        application.setDefaultProperties(options.springProperties());
        application.addInitializers(context -> {
            context.getBeanFactory().registerSingleton("options", options);
            context.getBeanFactory().registerSingleton("stopSignal", stop);
        });
        ConfigurableApplicationContext context;
        try {
            context = application.run();
        } catch (RuntimeException e) {
            String reason = rootMessage(e);
            if (anyCauseSays(e, "Database may be already in use")) {
                // An H2 file admits one process: another run of this tool has it, which is a lock too.
                System.err.println("redis-om-batch: another run holds the lock on the job repository "
                        + options.jobRepositoryUrl() + " (an H2 file admits one process at a time)");
                return ExitCode.LOCKED.code();
            }
            System.err.println("redis-om-batch: cannot start with --job-repository.url: " + reason);
            return ExitCode.USAGE.code();
        }
        GracefulStop graceful = GracefulStop.install(stop);
        int exitCode = ExitCode.JOB_FAILED.code();
        try (context) {
            exitCode = context.getBean(CommandDispatcher.class).run().code();
            return exitCode;
        } finally {
            graceful.finished(exitCode);
        }
    }

    private static boolean anyCauseSays(Throwable failure, String text) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
