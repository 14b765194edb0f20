package dev.redisombatch.batch;

import dev.redisombatch.batch.cli.Cli;

/** Entry point: {@code java -jar redis-om-batch.jar [--job=NAME] [--option=value ...]}; exits with the job's code. */
public final class RedisOmBatchApplication {

    private RedisOmBatchApplication() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line in this JVM without exiting it; for tests. */
    public static int run(String... args) {
        return new Cli(System.out, System.err, System.getenv()).run(args);
    }
}
