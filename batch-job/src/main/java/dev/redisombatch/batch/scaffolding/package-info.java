/**
 * Project scaffolding for {@code --job=create}: a new data migration written into a small Maven project, and the
 * migration API this tool carries installed into the local Maven repository so that project builds.
 *
 * <p>May import the migration API only. Start reading at {@link MigrationSkeleton}.
 */
package dev.redisombatch.batch.scaffolding;
