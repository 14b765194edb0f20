package dev.redisombatch.batch.schema;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The definition an index should have, which {@code create} compares with the live one: one file of {@code models/},
 * in this tool's model format or a RedisVL schema ({@link RedisVlSchema}, whose mode is always the default), or one
 * index of a reference Redis ({@link ReferenceIndexes}).
 *
 * @param source the file; null for an index of a reference Redis
 */
public record IndexModel(String index, IndexDefinition definition, Optional<ReplaceMode> mode, Path source) {}
