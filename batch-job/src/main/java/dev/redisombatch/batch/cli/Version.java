package dev.redisombatch.batch.cli;

import org.springframework.batch.core.job.Job;
import org.springframework.boot.SpringApplication;

/** {@code --version}: this tool's version and those of the libraries that matter to an operator. */
final class Version {

    private Version() {
    }

    static String describe() {
        return "redis-om-batch " + version(Cli.class) + " (Spring Boot " + version(SpringApplication.class)
                + ", Spring Batch " + version(Job.class) + ", Lettuce " + version(io.lettuce.core.RedisClient.class)
                + ", Java " + System.getProperty("java.version") + ")";
    }

    private static String version(Class<?> type) {
        String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}
