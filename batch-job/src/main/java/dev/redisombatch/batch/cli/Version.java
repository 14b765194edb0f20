package dev.redisombatch.batch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code --version}: this tool's version and those of the libraries that matter to an operator. */
final class Version {

    private Version() {}

    static String describe() {
        Properties versions = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            // Unknown versions are shown as such.
        }
        return "redis-om-batch " + versions.getProperty("redis-om-batch", "unknown") + " (Spring Boot "
                + versions.getProperty("spring-boot", "unknown") + ", Spring Batch "
                + versions.getProperty("spring-batch", "unknown") + ", Lettuce "
                + versions.getProperty("lettuce", "unknown") + ", Java " + System.getProperty("java.version") + ")";
    }
}
