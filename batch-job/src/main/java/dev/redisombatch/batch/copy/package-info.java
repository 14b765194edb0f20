/**
 * Copying every key of one Redis (the source, only read) to another (the target) before the migrations run there
 * ({@code migrateData --target.url}): the checks made before anything is written, the mark the target keeps of its
 * copy, and the copy itself as a partitioned, restartable Spring Batch job over SCAN slices of the source (the single
 * server or every master of a cluster; {@code DUMP} there, {@code RESTORE} on the target), walked again over the slots
 * its checkpoints do not prove copied ({@link dev.redisombatch.batch.copy.CopyWalks}).
 *
 * <p>May import {@code data.partition} and {@code data.step}'s settings (slices are cut as a data migration's are),
 * {@code schema} (to create the source's indexes on the target), {@code results}, {@code ops}, {@code redis}, {@code jobs}, {@code settings} and {@code failure}; not {@code data}'s
 * launcher, {@code command} or {@code cli}.
 *
 * <p>Start reading at {@link dev.redisombatch.batch.copy.KeyCopy}.
 */
package dev.redisombatch.batch.copy;
