package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.state.Direction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One file of {@code schema-migrations/}: the index it changes, the definition it had ({@code null} when the
 * migration creates the index) and the definition it gets.
 *
 * @param after ids of the data migrations that must be applied before this one runs ({@code after:}), often the
 *        one that makes the documents fit the new definition; empty when it may run before any
 * @param afterLine the line of {@code after:} in the file, for messages; 0 when there is none
 */
public record SchemaMigrationFile(
        String id,
        String description,
        String index,
        Optional<ReplaceMode> mode,
        List<String> after,
        int afterLine,
        IndexDefinition previous,
        IndexDefinition next,
        Path source) {

    public Optional<IndexDefinition> previousDefinition() {
        return Optional.ofNullable(previous);
    }

    /** The definition the index gets going this way; empty when a rollback drops the index it created. */
    public Optional<IndexDefinition> target(Direction direction) {
        return direction == Direction.APPLY ? Optional.of(next) : previousDefinition();
    }

    /**
     * SHA-256 of what the migration does (its id, index and both definitions as schema text), so edits to comments,
     * the description, layout or {@code after:} (when it runs, not what it does) do not count as changes, and any
     * edit to a definition does.
     */
    public String checksum() {
        String what =
                id + "\n" + index + "\n" + (previous == null ? "" : previous.schemaText()) + "\n" + next.schemaText();
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(what.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
