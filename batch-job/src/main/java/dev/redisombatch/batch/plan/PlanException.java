package dev.redisombatch.batch.plan;

/** The set of migrations cannot be run as given (duplicate ids, unknown dependencies, a cycle, a broken provider). */
public class PlanException extends RuntimeException {

    public PlanException(String message) {
        super(message);
    }

    public PlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
