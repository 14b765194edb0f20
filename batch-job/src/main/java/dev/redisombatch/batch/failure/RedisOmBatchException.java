package dev.redisombatch.batch.failure;

/**
 * The one failure type of this tool: a one-line message that names the culprit (an option, a file and line, a key,
 * a migration) and the {@link Failure} kind that decides the exit code and the advice. Anything else that escapes a
 * command is classified into one of these by {@link Failures#classify}.
 */
public class RedisOmBatchException extends RuntimeException {

    private final Failure failure;

    public RedisOmBatchException(Failure failure, String message) {
        this(failure, message, null);
    }

    public RedisOmBatchException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }

    public static RedisOmBatchException configuration(String message) {
        return new RedisOmBatchException(Failure.CONFIGURATION, message);
    }

    public static RedisOmBatchException plan(String message) {
        return new RedisOmBatchException(Failure.PLAN, message);
    }
}
