package dev.redisombatch.batch.data.partition;

import dev.redisombatch.batch.redis.ScanLayout;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One server whose keyspace a migration walks: the single server, or one cluster master.
 *
 * @param node the master's node id; empty for a single server
 * @param address host:port, for logs
 * @param keys its DBSIZE when the partitions were made
 * @param layout how its SCAN cursor walks its keys, which decides how it is sliced
 * @param slots the slots it owns, as start-end pairs; empty for a single server
 */
public record ScanTarget(String node, String address, long keys, ScanLayout layout, List<int[]> slots) {

    /**
     * The single server, or every cluster master holding any slot of {@code walkSlots}, with its key count, its SCAN
     * cursor layout and its slots.
     *
     * @param keysOn the DBSIZE of a master, by node id (empty for a single server)
     */
    public static List<ScanTarget> of(Topology topology, SlotSet walkSlots, ToLongFunction<String> keysOn) {
        return topology.masters().stream()
                .filter(master -> master.nodeId().isEmpty()
                        ? !walkSlots.isEmpty()
                        : !SlotSet.of(master.slots()).and(walkSlots).isEmpty())
                .map(master -> new ScanTarget(
                        master.nodeId(),
                        master.address(),
                        keysOn.applyAsLong(master.nodeId()),
                        master.scanLayout(),
                        master.slots()))
                .toList();
    }
}
