package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import java.nio.file.Path;

/** A schema migration or model file that cannot be used; the message names the file and, when known, the line. */
public final class SchemaFileException extends RedisOmBatchException {

    public SchemaFileException(Path file, int line, String problem) {
        super(Failure.PLAN, file + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}
