/**
 * The tool's one API, {@link RedisOmBatch}, configured with a {@link Configuration}: one class per command
 * ({@code migrateData}, {@code status}, {@code verify}, {@code rollback}, {@code stamp}, {@code repair},
 * {@code worker}), the migrations they know of, and the {@link Resources} a command opens and closes.
 *
 * <p>Imports every package below it ({@code data}, {@code schema}, {@code builtin}, {@code results}, {@code plan},
 * {@code remote}, {@code ops}, {@code state}, {@code demo}, {@code redis}, {@code jobs}, {@code settings},
 * {@code scaffolding}, {@code failure}, the migration API); only {@code cli} imports it.
 *
 * <p>Start reading at {@link RedisOmBatch}, then {@link MigrateCommand}.
 */
package dev.redisombatch.batch.command;
