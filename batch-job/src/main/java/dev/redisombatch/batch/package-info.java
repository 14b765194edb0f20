/**
 * The tool's entry point, {@link dev.redisombatch.batch.RedisOmBatchApplication}, and the root of its packages.
 *
 * <p>Packages are cut by capability, and imports only go down this ladder (a package may import those below it,
 * never one above, and no two import each other): {@code cli}; {@code command}; {@code copy}; {@code data} and {@code schema};
 * {@code builtin} and {@code results}; {@code plan} and {@code remote}; {@code ops}; {@code state} and {@code demo};
 * {@code redis} and {@code jobs}; {@code settings}; {@code failure} and {@code scaffolding} at the bottom, with the
 * migration API ({@code dev.redisombatch.migration}) beneath everything. Each package's own {@code package-info}
 * names what it imports.
 *
 * <p>Start reading at {@code cli.Cli} (a command line becomes a result and an exit code), then
 * {@code command.RedisOmBatch} (one method per command), then {@code data.DataMigrationLauncher} (one data migration
 * as a Spring Batch job).
 */
package dev.redisombatch.batch;
