package dev.redisombatch.batch.schema;

import java.nio.file.Path;

/** A schema migration or model file that cannot be used; the message names the file and, when known, the line. */
public final class SchemaFileException extends RuntimeException {

    public SchemaFileException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}
