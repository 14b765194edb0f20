package dev.redisombatch.batch;

import dev.redisombatch.batch.cli.Cli;
import dev.redisombatch.batch.failure.Failures;
import org.slf4j.LoggerFactory;

/** Entry point: {@code java -jar redis-om-batch.jar [--job=NAME] [--option=value ...]}; exits with the job's code. */
public final class RedisOmBatchApplication {

    private RedisOmBatchApplication() {}

    public static void main(String[] args) {
        // A thread of ours or a library's that dies of an exception nobody caught says so in one line, as the rest
        // of the output does, instead of the JVM's stack trace.
        Thread.setDefaultUncaughtExceptionHandler(
                (thread, failure) -> LoggerFactory.getLogger(RedisOmBatchApplication.class)
                        .error("thread {} died: {}", thread.getName(), Failures.describe(failure)));
        System.exit(run(args));
    }

    /** Runs the command line in this JVM without exiting it; for tests. */
    public static int run(String... args) {
        return new Cli(System.out, System.err, System.getenv()).run(args);
    }
}
