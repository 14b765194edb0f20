package dev.redisombatch.batch.jobs;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepInterruptionPolicy;
import org.springframework.batch.core.step.item.ChunkOrientedStep;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The chunk-oriented step of one partition, built directly rather than by Spring Batch's
 * {@code ChunkOrientedStepBuilder}. The builder looks for listener annotations on the reader, the processor and the
 * writer by reflection every time it builds a step, and a run builds one step per partition: a JFR recording of a
 * 3-master cluster run, then cut into 48 partitions, put 0.43 s of the JVM's CPU in that scanning and the JIT work it
 * brought. These
 * steps have no annotated listener; a reader that follows its step implements {@link StepExecutionListener}, and an
 * {@code ItemStream} reader is opened, updated and closed by the step as the builder would have it.
 */
public final class PartitionChunkStep {

    private PartitionChunkStep() {}

    /**
     * @param itemsPerChunk items per transaction, and per checkpoint
     * @param processor null for items written as read
     */
    public static <I, O, R extends ItemReader<I> & StepExecutionListener> ChunkOrientedStep<I, O> of(
            String name,
            int itemsPerChunk,
            R reader,
            ItemProcessor<? super I, ? extends O> processor,
            ItemWriter<? super O> writer,
            JobRepository jobRepository,
            PlatformTransactionManager transactionManager,
            StepInterruptionPolicy interruption) {
        ChunkOrientedStep<I, O> step = new ChunkOrientedStep<>(name, itemsPerChunk, reader, writer, jobRepository);
        if (processor != null) {
            step.setItemProcessor(processor);
        }
        step.setTransactionManager(transactionManager);
        step.setInterruptionPolicy(interruption);
        step.registerStepExecutionListener(reader);
        try {
            step.afterPropertiesSet(); // registers an ItemStream reader, writer or processor as the step's streams
        } catch (Exception invalid) {
            throw new IllegalStateException("step " + name + " could not be built: " + invalid.getMessage(), invalid);
        }
        return step;
    }
}
