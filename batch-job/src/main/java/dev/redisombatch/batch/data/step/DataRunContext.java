package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.redis.RedisEndpoint;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What stays the same for every data migration of one command: the Redis worked on, how steps run, the run-wide
 * error budget, the lock's check, the stop signal, and the registry meters go to.
 *
 * @param leaseCheck throws when the run's lock is lost; a no-op for runs that hold none (dry runs)
 */
public record DataRunContext(
        RedisEndpoint redis,
        DataStepSettings settings,
        ErrorBudget budget,
        Runnable leaseCheck,
        StopSignal stop,
        MeterRegistry metrics) {

    /** What must still hold before each page is read and each batch written; throws when it does not. */
    void checkMayContinue() {
        budget.checkNotExhausted();
        leaseCheck.run();
    }
}
