/**
 * Data migrations as Spring Batch jobs: the launcher that runs one migration (resuming an unfinished run, re-walking
 * after a topology change), the job it assembles (a partitioned step, then the step that records the migration
 * applied), what the job repository knows of past runs, and the steps a worker process builds for a manager's
 * partitions. Below it: {@code data.step} (the chunk pipeline of one partition), {@code data.partition} (SCAN slices
 * and checkpoints) and {@code data.store} (reading and writing documents per Redis type).
 *
 * <p>May import its three sub-packages, {@code results}, {@code plan}, {@code remote}, {@code ops}, {@code state},
 * {@code redis}, {@code jobs}, {@code failure} and the migration API; not {@code schema}, {@code command} or
 * {@code cli}.
 *
 * <p>Start reading at {@link DataMigrationLauncher}, then {@link MigrationJob} and {@link RecordTasklet}.
 */
package dev.redisombatch.batch.data;
