package dev.redisombatch.batch.settings;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A setting whose value cannot be used. Thrown by the settings records themselves, so an invalid value can never be
 * constructed; the settings loader adds where the value came from (the command line, the environment, a file and
 * line) to the message.
 */
public final class InvalidSettingException extends RedisOmBatchException {

    private final String key;
    private final String problem;

    public InvalidSettingException(String key, String problem) {
        super(Failure.CONFIGURATION, key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** The option's key, as in {@code --key=value}. */
    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }

    public static void requireAtLeast(String key, long value, long minimum) {
        if (value < minimum) {
            throw new InvalidSettingException(key, "must be at least " + minimum);
        }
    }

    public static void requirePositive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidSettingException(key, "must be positive");
        }
    }

    /** Refuses a file option naming no readable file; nothing for an option not given. */
    public static void requireReadable(String key, Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw new InvalidSettingException(key, file + ": no such readable file");
        }
    }

    /** Refuses one of two options that go together without the other, naming the one given. */
    public static void requireBothOrNeither(String key, Object value, String otherKey, Object other) {
        if ((value == null) != (other == null)) {
            throw new InvalidSettingException(
                    value == null ? otherKey : key,
                    "--" + key + " and --" + otherKey + " go together: give both or neither");
        }
    }
}
