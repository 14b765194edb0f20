package dev.redisombatch.batch.data;

import dev.redisombatch.batch.data.partition.ScanSlicePartitioner;
import dev.redisombatch.batch.data.partition.ScanTarget;
import dev.redisombatch.batch.data.partition.SliceCheckpoint;
import dev.redisombatch.batch.data.step.DataRunContext;
import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.data.store.DocumentStore;
import dev.redisombatch.batch.redis.ScanLayout;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.KeySelector;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The partitions one walk of a migration runs: cut afresh over the servers there are now, or, for a job instance
 * that is resumed, the ones its previous execution ran.
 *
 * @param count how many partitions there are
 * @param completedEarlier of those, the ones an earlier execution of the instance completed
 * @param skippedEarlier the documents the earlier executions of the instance skipped, as their checkpoints count them
 */
record PartitionPlan(Partitioner partitioner, int count, int completedEarlier, long skippedEarlier) {

    private static final Logger log = LoggerFactory.getLogger(PartitionPlan.class);

    /**
     * One partition per key pattern, key type, server and slice of it, over the masters of {@code topology} that
     * hold any of {@code walkSlots}.
     */
    static PartitionPlan fresh(DataMigration migration, DataRunContext context, Topology topology, SlotSet walkSlots) {
        DataStepSettings settings = context.settings();
        List<ScanTarget> targets = targets(context, topology, walkSlots);
        logLayouts(migration.id(), targets);
        KeySelector keys = DocumentStore.typesOn(context.redis(), migration.keys());
        ScanSlicePartitioner slices = new ScanSlicePartitioner(keys, targets, settings.partitions(), walkSlots);
        int partitions = slices.count();
        if (partitions
                < settings.partitions()
                        * targets.size()
                        * keys.patterns().size()
                        * keys.types().size()) {
            log.info(
                    "{}: {} keys on {}, so {} partitions in all",
                    migration.id(),
                    targets.stream().mapToLong(ScanTarget::keys).sum(),
                    context.redis().target(),
                    partitions);
        }
        return new PartitionPlan(slices, partitions, 0, 0);
    }

    /**
     * The partitions of the previous execution, as they were. Spring Batch asks the partitioner again on a restart
     * and starts any partition of a name it has not seen: slices cut afresh (the key counts, hence the slice counts,
     * move) would walk keys twice or mix two cuts.
     */
    static PartitionPlan resumed(MigrationExecutions executions, JobExecution previous, String migrationId) {
        Map<String, StepExecution> last = executions.lastPerPartition(previous.getJobInstance(), migrationId);
        Map<String, ExecutionContext> partitions = MigrationExecutions.partitions(last, migrationId);
        int completed = (int) last.values().stream()
                .filter(partition -> partition.getStatus() == BatchStatus.COMPLETED)
                .count();
        log.info(
                "{}: resuming job instance {} (last execution {} {}); {} of {} partitions already complete",
                migrationId,
                previous.getJobInstance().getInstanceId(),
                previous.getId(),
                previous.getStatus(),
                completed,
                partitions.size());
        long skipped = partitions.values().stream()
                .mapToLong(partition -> SliceCheckpoint.from(partition).counts().skipped())
                .sum();
        return new PartitionPlan(gridSize -> partitions, partitions.size(), completed, skipped);
    }

    /**
     * The single server, or every cluster master holding any slot to walk, with its key count, its SCAN cursor layout
     * and its slots.
     */
    private static List<ScanTarget> targets(DataRunContext context, Topology topology, SlotSet walkSlots) {
        return ScanTarget.of(
                topology,
                walkSlots,
                node -> context.redis()
                        .call("DBSIZE of " + node, commands -> context.redis().keysOn(node)));
    }

    /** Says how servers whose SCAN cursor is not the classic one-table cursor are sliced. */
    private static void logLayouts(String migrationId, List<ScanTarget> targets) {
        for (ScanLayout layout : List.of(ScanLayout.SLOT_TABLES, ScanLayout.UNKNOWN)) {
            List<String> servers = targets.stream()
                    .filter(target -> target.layout() == layout)
                    .map(ScanTarget::address)
                    .toList();
            if (servers.isEmpty()) {
                continue;
            }
            if (layout == ScanLayout.SLOT_TABLES) {
                log.info(
                        "{}: {} keep(s) one table per hash slot (a Redis 7.4+ or Valkey 8+ cluster node): sliced by"
                                + " slot ranges",
                        migrationId,
                        servers);
            } else {
                log.warn(
                        "{}: the SCAN cursor layout of {} is not recognised (INFO server names no Redis or Valkey"
                                + " version known here): each is walked as one slice, from cursor 0 back to 0",
                        migrationId,
                        servers);
            }
        }
    }
}
