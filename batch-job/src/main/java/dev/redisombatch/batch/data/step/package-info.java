/**
 * The chunk-oriented step of one partition: a page of SCAN keys is the item; the reader loads the page's documents,
 * the processor runs the migration's transform, the writer writes what changed (or, in a dry run, only counts it),
 * and rejected documents go to the failure mode's policy and the skip log. Also the same processor and writer made
 * to serve others: over keys a follow names ({@link NamedKeysMigration}), over the documents a copy carries
 * ({@link CopyConversion}), and in memory for {@code verify --check-data} ({@link MigrationReplay}, both over a
 * {@link DocumentChain}); and the settings of the data steps.
 *
 * <p>May import {@code data.partition}, {@code data.store}, {@code results}, {@code ops}, {@code state},
 * {@code redis}, {@code jobs} (a partition's chunk step), {@code settings}, {@code failure} and the migration API; not {@code data} itself.
 *
 * <p>Start reading at {@link PartitionWorkerStep}, then {@link PageReader}, {@link PageProcessor} and
 * {@link PageWriter}.
 */
package dev.redisombatch.batch.data.step;
