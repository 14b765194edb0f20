package dev.redisombatch.batch.failure;

/**
 * The one failure type of this tool: a one-line message that names the culprit (an option, a file and line, a key,
 * a migration) and the {@link Failure} kind that decides the exit code and the advice. Anything else that escapes a
 * command is classified into one of these by {@link Failures#classify}.
 */
public class RedisOmBatchException extends RuntimeException {

    private final Failure failure;
    /** What to do next where the kind's own advice would not be true; null for the kind's. */
    private final String advice;

    public RedisOmBatchException(Failure failure, String message) {
        this(failure, message, null);
    }

    public RedisOmBatchException(Failure failure, String message, Throwable cause) {
        this(failure, message, cause, null);
    }

    private RedisOmBatchException(Failure failure, String message, Throwable cause, String advice) {
        super(message, cause);
        this.failure = failure;
        this.advice = advice;
    }

    public Failure failure() {
        return failure;
    }

    /** The same failure with other advice than its kind's; {@code advice} null keeps the kind's. */
    public RedisOmBatchException withAdvice(String advice) {
        return advice == null ? this : new RedisOmBatchException(failure, getMessage(), getCause(), advice);
    }

    /** One sentence on what to do next: the kind's, unless this failure was given its own. */
    public String advice() {
        return advice != null ? advice : failure.advice();
    }

    /** This failure read as another kind, with another message, keeping the advice it was given (if any). */
    public RedisOmBatchException reclassified(Failure kind, String message) {
        return new RedisOmBatchException(kind, message, this, advice);
    }

    public static RedisOmBatchException configuration(String message) {
        return new RedisOmBatchException(Failure.CONFIGURATION, message);
    }

    public static RedisOmBatchException plan(String message) {
        return new RedisOmBatchException(Failure.PLAN, message);
    }
}
