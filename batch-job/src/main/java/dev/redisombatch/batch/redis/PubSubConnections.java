package dev.redisombatch.batch.redis;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Map;

/**
 * Connections for a Redis' own notifications, key names as bytes: one to the single server, or one to each master of
 * a cluster (a node publishes its keyspace notifications to its own subscribers only). Closed together.
 *
 * @param byNode each connection by the node id of the master it reaches (empty for a single server)
 */
public record PubSubConnections(Map<String, StatefulRedisPubSubConnection<byte[], byte[]>> byNode, AutoCloseable all)
        implements AutoCloseable {

    @Override
    public void close() {
        try {
            all.close();
        } catch (Exception e) {
            // closing: nothing more to hear
        }
    }
}
