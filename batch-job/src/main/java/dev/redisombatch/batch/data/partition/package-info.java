/**
 * How a keyspace is cut into partitions and how a partition's progress is kept: SCAN slices of one server (by cursor
 * bits on one hash table, by slot range where a server keeps a table per slot), the partitioner that makes one
 * partition per pattern, type, server and slice, each partition's checkpoint in its execution context, the walk of
 * one slice by SCAN pages that data migrations and copies share ({@link SliceWalk}), and the proof that a run's
 * checkpoints cover every key.
 *
 * <p>May import {@code ops} (for {@code DocumentCounts}), {@code redis} and the migration API only; it knows nothing
 * of the chunk pipeline or the stores.
 *
 * <p>Start reading at {@link ScanSlicePartitioner}, then {@link ScanSlice}, {@link SliceCheckpoint} and
 * {@link SlotProof}.
 */
package dev.redisombatch.batch.data.partition;
