package dev.redisombatch.batch.jobs;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.DatasetMark;
import java.time.LocalDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * The job instance a run continues, found from its {@link RunIdentity}. An instance that completed earlier while the
 * migration is to run again (a dry run again, a re-walk after a server restart) is history: the next attempt is a new
 * instance. An execution left STARTED by a killed process is recovered (marked FAILED) so that it can be restarted.
 * An unfinished run of an older generation is never resumed: the migration was applied, rolled back or stamped since,
 * so its completed partitions describe data that has changed; that is said in one line and the run starts over.
 *
 * @param previous the instance's last execution, {@code null} for a new instance
 */
public record ResumableInstance(JobParameters parameters, JobExecution previous) {

    private static final Logger log = LoggerFactory.getLogger(ResumableInstance.class);
    /** How many instances of a job are looked through for stale runs. */
    private static final int HISTORY = 10_000;

    /** For runs that walk no documents (schema runs, a copy's walks), under the run lock or short. */
    public static ResumableInstance find(JobRepository jobRepository, JobOperator jobOperator, RunIdentity identity)
            throws Exception {
        return find(jobRepository, jobOperator, identity, false, RunningElsewhere.NEVER);
    }

    /**
     * @param dataWalk whether the run walks a data migration's documents, whose checkpoints are resumed only on the
     *     data a dataset token shows them to describe ({@link #whyNotResumable}); schema runs walk nothing
     * @param elsewhere whether an execution found running may still be another process's: such a run is refused
     *     (exit 5) instead of recovered or abandoned
     */
    public static ResumableInstance find(
            JobRepository jobRepository,
            JobOperator jobOperator,
            RunIdentity identity,
            boolean dataWalk,
            RunningElsewhere elsewhere)
            throws Exception {
        reportStaleRuns(jobRepository, identity, dataWalk, elsewhere);
        for (long attempt = 1; ; attempt++) {
            JobParameters parameters = identity.parameters(attempt);
            JobInstance instance = jobRepository.getJobInstance(identity.jobName(), parameters);
            JobExecution previous = instance == null ? null : jobRepository.getLastJobExecution(instance);
            if (instance != null && previous == null) {
                // Its process was killed between saving the instance and its first execution: Spring Batch can
                // neither start nor restart an instance without an execution, and it walked nothing. The next one.
                log.warn(
                        "{}: job instance {} has no execution (its process was killed as it started); starting"
                                + " another",
                        identity.migrationId(),
                        instance.getInstanceId());
                continue;
            }
            if (previous == null || previous.getStatus() != BatchStatus.COMPLETED) {
                if (previous != null && previous.getStatus() == BatchStatus.ABANDONED) {
                    continue;
                }
                if (previous != null && previous.getStatus() == BatchStatus.UNKNOWN) {
                    // Spring Batch will not restart an execution whose end it could not record; start anew.
                    log.warn(
                            "{}: execution {} ended UNKNOWN (its end could not be recorded) and cannot be"
                                    + " restarted; abandoning it and starting over",
                            identity.migrationId(),
                            previous.getId());
                    // abandon() keeps the higher of the two statuses, and UNKNOWN ranks above ABANDONED.
                    previous.setStatus(BatchStatus.ABANDONED);
                    jobRepository.update(previous);
                    continue;
                }
                if (previous != null && previous.isRunning()) {
                    if (!leftRunning(jobRepository, identity, previous, elsewhere)) {
                        // It ended since it was read (another process's dry run finishing): this instance again.
                        attempt--;
                        continue;
                    }
                    log.warn(
                            "{}: execution {} was left {} (its process was killed?); recovering it",
                            identity.migrationId(),
                            previous.getId(),
                            previous.getStatus());
                    previous = recover(jobRepository, jobOperator, previous);
                } else if (previous != null && leftPartitionsRunning(jobRepository, previous)) {
                    // A manager that ended while its partitions were not taken, or whose workers lost the job
                    // repository mid-page: Spring Batch restarts no partition still marked running.
                    if (!leftRunning(jobRepository, identity, previous, elsewhere)) {
                        attempt--;
                        continue;
                    }
                    log.warn(
                            "{}: execution {} ended {} with partitions still marked running; recovering them",
                            identity.migrationId(),
                            previous.getId(),
                            previous.getStatus());
                    previous = recover(jobRepository, jobOperator, previous);
                }
                return new ResumableInstance(parameters, previous);
            }
        }
    }

    /**
     * Marks a dead process's execution and its running partitions FAILED, so that they can be restarted. Workers of a
     * remote run may still be writing those partitions (each chunk commit bumps a partition's version): a recovery that
     * loses that race reads the execution again and tries again; once a partition is FAILED, its worker's next commit
     * fails and it lets go.
     */
    private static JobExecution recover(JobRepository jobRepository, JobOperator jobOperator, JobExecution execution)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                LocalDateTime lastSignOfLife =
                        RunHistory.lastSignOfLife(jobRepository.getJobExecution(execution.getId()));
                return endedWhenLastSeen(jobRepository, jobOperator.recover(execution), lastSignOfLife);
            } catch (OptimisticLockingFailureException raced) {
                if (attempt == RECOVERY_ATTEMPTS) {
                    throw raced;
                }
                Thread.sleep(50);
                execution = jobRepository.getJobExecution(execution.getId());
            }
        }
    }

    private static final int RECOVERY_ATTEMPTS = 100;

    /**
     * Whether {@code execution}, or a partition of it, is still marked running, as it is read now: left so by a process
     * that is gone, to be taken over. Throws (exit 5) when its process may still be running it.
     */
    private static boolean leftRunning(
            JobRepository jobRepository, RunIdentity identity, JobExecution execution, RunningElsewhere elsewhere) {
        JobExecution current = jobRepository.getJobExecution(execution.getId());
        if (!RunHistory.markedRunning(current)) {
            return false;
        }
        String why = elsewhere.whyMaybeRunning(current, RunHistory.lastSignOfLife(current));
        if (why != null) {
            throw new RedisOmBatchException(
                    Failure.LOCKED,
                    identity.migrationId() + ": execution " + execution.getId() + " of the same "
                            + (identity.dryRun() ? "dry run" : "run") + " " + why + "; wait for it to finish");
        }
        return true;
    }

    /**
     * Spring Batch's recovery ends the execution now, so a run killed at night and resumed in the morning would count
     * the hours it was dead in its duration; it ended when it was last seen alive. Best effort: if another process
     * updated the execution meanwhile, the recovery's own end stays.
     */
    private static JobExecution endedWhenLastSeen(
            JobRepository jobRepository, JobExecution recovered, LocalDateTime lastSignOfLife) {
        if (lastSignOfLife == null
                || recovered.getEndTime() == null
                || !lastSignOfLife.isBefore(recovered.getEndTime())) {
            return recovered;
        }
        recovered.setEndTime(lastSignOfLife);
        try {
            jobRepository.update(recovered);
        } catch (OptimisticLockingFailureException raced) {
            return jobRepository.getJobExecution(recovered.getId());
        }
        return recovered;
    }

    private static boolean leftPartitionsRunning(JobRepository jobRepository, JobExecution execution) {
        return execution.getStatus() != BatchStatus.COMPLETED
                && RunHistory.partitionMarkedRunning(jobRepository.getJobExecution(execution.getId()));
    }

    /** The checksum of the code the previous execution ran, if it recorded one. */
    public String previousChecksum() {
        return previous == null ? null : previous.getJobParameters().getString(RunIdentity.CHECKSUM);
    }

    /**
     * Why an unfinished walk of the current generation is not resumed on the data its target holds now, whose dataset
     * token is {@code datasetNow} ({@link DatasetMark#NONE} where no run marked it); null when it is. The next run
     * ({@link #find}) and {@code status} decide it here alike.
     */
    public static String whyNotResumable(RunIdentity earlier, String datasetNow) {
        if (earlier.dataset().isEmpty()) {
            return earlier.dryRun()
                    ? "it walked data no run had marked (a dry run writes no dataset token), so nothing shows that "
                            + earlier.target() + " still holds that data"
                    : "it was walked before checkpoints were bound to the data (it has no dataset token)";
        }
        if (!earlier.dataset().equals(datasetNow)) {
            return earlier.target() + " no longer holds the data it walked (flushed, restored from a backup or"
                    + " replaced since: dataset token " + DatasetMark.abbreviated(earlier.dataset()) + " then, "
                    + DatasetMark.abbreviated(datasetNow) + " now)";
        }
        return null;
    }

    private static void reportStaleRuns(
            JobRepository jobRepository, RunIdentity identity, boolean dataWalk, RunningElsewhere elsewhere) {
        for (JobInstance instance : jobRepository.getJobInstances(identity.jobName(), 0, HISTORY)) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last == null || !identity.sameRunAs(RunIdentity.of(identity.jobName(), last.getJobParameters()))) {
                continue;
            }
            RunIdentity earlier = RunIdentity.of(identity.jobName(), last.getJobParameters());
            BatchStatus status = last.getStatus();
            if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
                continue;
            }
            if (earlier.generation() < identity.generation()) {
                log.warn(
                        "{}: not resuming execution {} ({}, generation {}): the migration was applied, rolled back"
                                + " or stamped since (generation {} now); starting over. --job=repair --abandon clears it",
                        identity.migrationId(),
                        last.getId(),
                        status,
                        earlier.generation(),
                        identity.generation());
                continue;
            }
            // A run bound to no token (a schema run) has nothing to compare.
            String why =
                    dataWalk || !identity.dataset().isEmpty() ? whyNotResumable(earlier, identity.dataset()) : null;
            if (earlier.generation() == identity.generation() && why != null) {
                // Its checkpoints describe data that is no longer there (or cannot be shown to be): abandoned, so
                // nothing ever resumes or counts them again. Not while it may still be walking, though.
                leftRunning(jobRepository, identity, last, elsewhere);
                log.warn(
                        "{}: not resuming execution {} ({}): {}; abandoning it and walking every slice from the"
                                + " start",
                        identity.migrationId(),
                        last.getId(),
                        status,
                        why);
                last.setStatus(BatchStatus.ABANDONED);
                jobRepository.update(last);
            }
        }
    }
}
