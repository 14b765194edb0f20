package dev.redisombatch.batch.data;

/**
 * One server whose keyspace a migration walks: the single server, or one cluster master.
 *
 * @param node the master's node id; empty for a single server
 * @param address host:port, for logs
 * @param keys its DBSIZE when the partitions were made
 */
public record ScanTarget(String node, String address, long keys) {
}
