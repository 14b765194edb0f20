package dev.redisombatch.batch.data.partition;

import dev.redisombatch.batch.redis.ScanLayout;
import java.util.List;

/**
 * One server whose keyspace a migration walks: the single server, or one cluster master.
 *
 * @param node the master's node id; empty for a single server
 * @param address host:port, for logs
 * @param keys its DBSIZE when the partitions were made
 * @param layout how its SCAN cursor walks its keys, which decides how it is sliced
 * @param slots the slots it owns, as start-end pairs; empty for a single server
 */
public record ScanTarget(String node, String address, long keys, ScanLayout layout, List<int[]> slots) {}
