package dev.redisombatch.batch.plan;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;

/** The set of migrations cannot be run as given (duplicate ids, unknown dependencies, a cycle, a broken provider). */
public class PlanException extends RedisOmBatchException {

    public PlanException(String message) {
        super(Failure.PLAN, message);
    }

    public PlanException(String message, Throwable cause) {
        super(Failure.PLAN, message, cause);
    }
}
