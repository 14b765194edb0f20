/**
 * Which migrations are applied, kept in Redis where Redis OM Python keeps it (so either tool sees the other's work),
 * with our records and generations beside it; and the direction a migration runs in.
 *
 * <p>May import {@code redis} only. Start reading at {@link AppliedState}, then {@link MigrationKind}.
 */
package dev.redisombatch.batch.state;
