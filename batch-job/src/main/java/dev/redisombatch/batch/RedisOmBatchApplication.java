package dev.redisombatch.batch;

import dev.redisombatch.batch.cli.CommandDispatcher;
import dev.redisombatch.batch.cli.CommandLineOptions;
import dev.redisombatch.batch.cli.ExitCode;
import dev.redisombatch.batch.cli.UsageException;
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
        SpringApplication application = new SpringApplication(RedisOmBatchApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setDefaultProperties(options.springProperties());
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("options", options));
        ConfigurableApplicationContext context;
        try {
            context = application.run();
        } catch (RuntimeException e) {
            System.err.println("redis-om-batch: cannot start with --job-repository.url: " + rootMessage(e));
            return ExitCode.USAGE.code();
        }
        try (context) {
            return context.getBean(CommandDispatcher.class).run().code();
        }
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
