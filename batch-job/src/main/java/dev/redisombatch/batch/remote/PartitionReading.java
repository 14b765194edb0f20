package dev.redisombatch.batch.remote;

import dev.redisombatch.batch.ops.DocumentCounts;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How far one partition got, as its execution context says; the layer that writes the checkpoints knows how to read
 * them, and hands this to the manager of remote workers, which only sees the job repository.
 */
@FunctionalInterface
public interface PartitionReading {

    /** Its counts over every execution and the share of its slice walked, from 0 to 1; null for a context without. */
    Progress of(ExecutionContext context);

    record Progress(DocumentCounts counts, double fractionWalked) {}
}
