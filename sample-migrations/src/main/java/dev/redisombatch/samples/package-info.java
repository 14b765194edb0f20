/**
 * Example data migrations over Redis OM Python's users and customers, registered for {@code ServiceLoader} in
 * {@code META-INF/services/dev.redisombatch.migration.DataMigration}: what a team's own migrations jar looks like.
 *
 * <p>They import the migration API and the JDK only, as a team's migrations should.
 *
 * <p>Start reading at {@link NormalizeEmails} (the smallest), then {@link SplitName} and, for JSON documents,
 * {@link RenameZipToPostalCode}.
 */
package dev.redisombatch.samples;
