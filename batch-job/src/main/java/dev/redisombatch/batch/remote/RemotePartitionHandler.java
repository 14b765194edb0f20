package dev.redisombatch.batch.remote;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.jobs.JobRepositoryOutage;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.batch.core.partition.support.AbstractPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.integration.support.MessageBuilder;

/**
 * A manager's side of remote partitioning: sends one {@link StepExecutionRequest} per partition to the
 * {@link PartitionQueue}, then reads the partitions' state from the job repository until every one has ended, as
 * Spring Batch's {@code MessageChannelPartitionHandler} does in its polling mode, with two bounds that one lacks (it
 * waits for ever, and a failed read of the repository ends the run):
 * <ul>
 * <li>a job repository that cannot be reached is waited for, up to {@code --job-repository.outage-timeout};</li>
 * <li>when no partition has changed for {@code --worker.stall-timeout} (none taken by a worker, none committing
 * pages: no worker runs, or every one is stuck), the run ends, resumable. Each page a worker commits bumps its
 * partition's version, so a working partition changes at least once per page.</li>
 * </ul>
 * The time the repository cannot be read does not count as a stall: workers cannot commit either.
 */
public final class RemotePartitionHandler extends AbstractPartitionHandler {

    private final PartitionQueue queue;
    private final JobRepository jobRepository;
    private final String workerStepName;
    private final String migrationId;
    private final Duration pollInterval;
    private final Duration stallTimeout;
    private final Duration outageTimeout;
    private final Runnable whenRepositoryGivenUp;

    /**
     * @param stallTimeout how long partitions may go unchanged before the run ends; zero waits for ever
     * @param outageTimeout how long the job repository may be unreachable before the run ends
     * @param whenRepositoryGivenUp run once the job repository is given up on ({@link JobRepositoryOutage})
     */
    public RemotePartitionHandler(
            PartitionQueue queue,
            JobRepository jobRepository,
            String workerStepName,
            String migrationId,
            Duration pollInterval,
            Duration stallTimeout,
            Duration outageTimeout,
            Runnable whenRepositoryGivenUp) {
        this.queue = queue;
        this.jobRepository = jobRepository;
        this.workerStepName = workerStepName;
        this.migrationId = migrationId;
        this.pollInterval = pollInterval;
        this.stallTimeout = stallTimeout;
        this.outageTimeout = outageTimeout;
        this.whenRepositoryGivenUp = whenRepositoryGivenUp;
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution managerStepExecution, Set<StepExecution> partitions)
            throws InterruptedException {
        for (StepExecution partition : partitions) {
            queue.channel()
                    .send(MessageBuilder.withPayload(new StepExecutionRequest(workerStepName, partition.getId()))
                            .build());
        }
        return awaitEnd(
                managerStepExecution.getJobExecutionId(),
                partitions.stream().map(StepExecution::getId).collect(Collectors.toSet()));
    }

    private Set<StepExecution> awaitEnd(long jobExecutionId, Set<Long> partitionIds) throws InterruptedException {
        JobRepositoryOutage outage = new JobRepositoryOutage("manager", outageTimeout, whenRepositoryGivenUp);
        Map<Long, String> lastSeen = Map.of();
        long lastChange = System.nanoTime();
        while (true) {
            Thread.sleep(pollInterval.toMillis());
            List<StepExecution> current;
            long attemptStartedAt = System.nanoTime();
            try {
                current = jobRepository.getJobExecution(jobExecutionId).getStepExecutions().stream()
                        .filter(step -> partitionIds.contains(step.getId()))
                        .toList();
            } catch (RuntimeException e) {
                outage.failed(e, attemptStartedAt);
                lastChange = System.nanoTime();
                continue;
            }
            outage.answered();
            if (current.size() == partitionIds.size()
                    && current.stream().noneMatch(step -> step.getStatus().isRunning())) {
                return new HashSet<>(current);
            }
            Map<Long, String> seen = new HashMap<>();
            current.forEach(step -> seen.put(step.getId(), step.getStatus() + "@" + step.getVersion()));
            if (!seen.equals(lastSeen)) {
                lastSeen = seen;
                lastChange = System.nanoTime();
            } else if (!stallTimeout.isZero() && System.nanoTime() - lastChange > stallTimeout.toNanos()) {
                long unfinished = current.stream()
                        .filter(step -> step.getStatus().isRunning())
                        .count();
                throw new RedisOmBatchException(
                        Failure.INTERRUPTED,
                        migrationId + ": no partition was taken by a"
                                + " worker or committed a page for " + stallTimeout.toSeconds() + " s"
                                + " (--worker.stall-timeout); " + unfinished + " of " + partitionIds.size()
                                + " partitions unfinished. Are workers running (--job=worker) on this job repository?");
            }
        }
    }
}
