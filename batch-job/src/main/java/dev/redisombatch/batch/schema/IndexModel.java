package dev.redisombatch.batch.schema;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One file of {@code models/}: the definition an index should have, which {@code create} compares with the live one;
 * from this tool's model format or from a RedisVL schema ({@link RedisVlSchema}), whose mode is always the default.
 */
public record IndexModel(String index, IndexDefinition definition, Optional<ReplaceMode> mode, Path source) {}
