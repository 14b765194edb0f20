package dev.redisombatch.batch.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.RedisCluster;
import io.lettuce.core.RedisFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisEndpoint#takePipelined} and {@link RedisEndpoint#handBack}: a partition's connection, handed back when
 * it completed, serves the next partition of the same master, and only that master's.
 */
class PipelinedConnectionReuseTest {

    @RegisterExtension
    static final RedisCluster cluster = new RedisCluster(3, 0);

    @Test
    void aConnectionHandedBackServesTheNextPartitionOfTheSameMasterOnly() {
        String first = cluster.masters().get(0).nodeId();
        String second = cluster.masters().get(1).nodeId();
        try (RedisEndpoint endpoint = new RedisEndpoint(RedisSettings.of(cluster.clusterUrl()))) {
            PipelinedConnection connection = endpoint.takePipelined(first);
            endpoint.handBack(first, connection);

            PipelinedConnection forAnother = endpoint.takePipelined(second);
            PipelinedConnection again = endpoint.takePipelined(first);
            PipelinedConnection whileInUse = endpoint.takePipelined(first);

            assertThat(forAnother).isNotSameAs(connection);
            assertThat(again).isSameAs(connection);
            assertThat(whileInUse).isNotSameAs(connection);
            RedisFuture<String> myId = again.reads().clusterMyId();
            again.flush();
            assertThat(again.await(myId)).isEqualTo(first);
            forAnother.close();
            whileInUse.close();
            endpoint.handBack(first, again);
        }
    }

    @Test
    void aConnectionClosedOrHandedBackAfterTheEndpointClosedIsNotKept() {
        String master = cluster.masters().get(0).nodeId();
        RedisEndpoint endpoint = new RedisEndpoint(RedisSettings.of(cluster.clusterUrl()));
        PipelinedConnection closed = endpoint.takePipelined(master);
        closed.close();
        endpoint.handBack(master, closed);
        PipelinedConnection idle = endpoint.takePipelined(master);
        PipelinedConnection inUse = endpoint.takePipelined(master);
        assertThat(idle).isNotSameAs(closed);
        assertThat(idle.isOpen()).isTrue();
        endpoint.handBack(master, idle);

        endpoint.close();
        endpoint.handBack(master, inUse);

        assertThat(idle.isOpen()).isFalse();
        assertThat(inUse.isOpen()).isFalse();
    }
}
