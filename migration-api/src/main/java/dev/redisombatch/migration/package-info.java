/**
 * What a migration author codes against: a {@link DataMigration} names the keys it touches ({@link KeySelector}) and
 * turns each {@link Document} into a {@link Change}; {@link Json} reads and edits JSON values without a library, and
 * {@link MigrationTester} checks a migration on sample documents without Redis.
 *
 * <p>Plain Java, small and stable: it imports nothing but the JDK (no Spring, no Redis client), and the tool's own
 * packages import it, never the other way round.
 *
 * <p>Start reading at {@link DataMigration}, then {@link Document} and {@link Change}.
 */
package dev.redisombatch.migration;
