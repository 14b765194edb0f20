package dev.redisombatch.batch.remote;

import java.time.Duration;
import org.springframework.batch.core.repository.JobRepository;

/**
 * What a manager ({@code --workers=remote}) needs to hand its partitions to workers and wait for them: the queue, and
 * how long partitions may go unchanged and the job repository unreachable before the run ends, and what to do when
 * it gives up on the job repository.
 */
public record RemoteWorkers(
        PartitionQueue queue, Duration stallTimeout, Duration outageTimeout, Runnable whenRepositoryGivenUp) {

    /** How often a manager reads its partitions' state from the job repository. */
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    /** Sends a migration's partitions to the workers and waits for them, within those bounds. */
    public RemotePartitionHandler handler(JobRepository jobRepository, String workerStepName, String migrationId) {
        return new RemotePartitionHandler(
                queue,
                jobRepository,
                workerStepName,
                migrationId,
                POLL_INTERVAL,
                stallTimeout,
                outageTimeout,
                whenRepositoryGivenUp);
    }
}
