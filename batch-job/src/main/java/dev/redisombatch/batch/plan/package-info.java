/**
 * Which data migrations exist and in which order they run: discovery (built-ins, {@code ServiceLoader} on the classpath
 * and in {@code --migrations.jars}), the dependency order, checksums of what the author wrote, the record kept of each
 * application, and the policy for migrations edited since they were applied.
 *
 * <p>May import {@code ops} (for {@code DocumentCounts}), {@code state}, {@code settings}, {@code failure} and the
 * migration API only.
 *
 * <p>Start reading at {@link MigrationCatalog}, then {@link MigrationPlanner}.
 */
package dev.redisombatch.batch.plan;
