package dev.redisombatch.batch.ops;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepInterruptionPolicy;

/**
 * Set when the process is asked to stop (SIGTERM from Kubernetes or a terminal's Ctrl-C). Spring Batch checks it
 * between chunks: each partition then ends STOPPED after its last committed chunk, with its checkpoint saved, and the
 * next run resumes from there.
 */
public final class StopSignal implements StepInterruptionPolicy {

    private volatile boolean requested;

    public void request() {
        requested = true;
    }

    public boolean isRequested() {
        return requested;
    }

    @Override
    public void checkInterrupted(StepExecution stepExecution) throws JobInterruptedException {
        if (requested) {
            // Spring Batch 6's ChunkOrientedStep only leaves its chunk loop on this exception; without the flag the
            // step would then end COMPLETED with keys never read, and the migration would be marked applied.
            stepExecution.setTerminateOnly();
            throw new JobInterruptedException("stop requested: " + stepExecution.getStepName()
                    + " stopped at a chunk boundary");
        }
    }
}
