package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;

/** The Redis given answers FT.* commands with "unknown command": it has no search module loaded. */
public final class SearchModuleMissingException extends RedisOmBatchException {

    public SearchModuleMissingException(String target) {
        super(
                Failure.CONFIGURATION,
                "this Redis (" + target + ") has no search module: FT.* commands are unknown."
                        + " Schema migrations need Redis 8, Redis Stack or RediSearch 2.x loaded with --loadmodule");
    }
}
