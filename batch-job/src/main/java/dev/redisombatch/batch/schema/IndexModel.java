package dev.redisombatch.batch.schema;

import java.nio.file.Path;
import java.util.Optional;

/** One file of {@code models/}: the definition an index should have, which {@code create} compares with the live one. */
public record IndexModel(String index, IndexDefinition definition, Optional<ReplaceMode> mode, Path source) {
}
