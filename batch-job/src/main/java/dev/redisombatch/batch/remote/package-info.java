/**
 * Remote partitioning ({@code --workers=remote}): the manager sends each partition as a request through a queue in the
 * PostgreSQL job repository and waits for the workers; a worker process takes requests and runs them.
 *
 * <p>May import {@code jobs}, {@code ops}, {@code settings} and {@code failure} only; the steps a worker runs are
 * handed in by the command that starts it.
 *
 * <p>Start reading at {@link RemotePartitionHandler} (the manager's side), then {@link PartitionWorker}.
 */
package dev.redisombatch.batch.remote;
