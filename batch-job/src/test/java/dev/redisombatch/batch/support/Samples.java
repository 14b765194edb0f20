package dev.redisombatch.batch.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The sample-migrations jar, which the reactor builds before this module; tests pass it as a user's jar. */
public final class Samples {

    private Samples() {}

    public static Path jar() {
        Path jar = Path.of(System.getProperty(
                        "redisombatch.samples.jar", "../sample-migrations/target/sample-migrations.jar"))
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no sample migrations jar at " + jar + ": build with mvn verify");
        }
        return jar;
    }
}
