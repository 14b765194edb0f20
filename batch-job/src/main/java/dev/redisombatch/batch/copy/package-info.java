/**
 * Copying every key of one Redis (the source, only read) to another (the target), making the pending data migrations
 * on the way ({@code migrateData --target.url}): the checks made before anything is written, the mark the target keeps of its
 * copy, the copy itself as a partitioned, restartable Spring Batch job over SCAN slices of the source (the single
 * server or every master of a cluster; {@code DUMP} there, {@code RESTORE} on the target), walked again over the slots
 * its checkpoints do not prove copied ({@link dev.redisombatch.batch.copy.CopyWalks}), following the source's changes
 * afterwards ({@code --follow}), and the comparison of a target with its source ({@code verify --check-data
 * --target.url}).
 *
 * <p>May import {@code data.partition} and {@code data.step}'s settings (slices are cut as a data migration's are),
 * {@code data.step}'s replay of migrations, its {@code NamedKeysMigration} (a followed key is converted as a walk
 * converts it) and its {@code CopyConversion} (the migrations made on the way), {@code data.store} (a comparison reads documents as the migrations do), {@code schema} (to create the
 * source's indexes on the target), {@code results}, {@code ops}, {@code state} (the sets of applied ids, left out of a
 * comparison), {@code redis}, {@code jobs}, {@code settings} and {@code failure}; not {@code data}'s launcher,
 * {@code command} or {@code cli}.
 *
 * <p>Start reading at {@link dev.redisombatch.batch.copy.KeyCopy}, then {@link dev.redisombatch.batch.copy.KeyFollow}.
 */
package dev.redisombatch.batch.copy;
