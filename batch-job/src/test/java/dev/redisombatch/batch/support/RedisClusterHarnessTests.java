package dev.redisombatch.batch.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The {@link RedisCluster} harness does what it says: 6 real nodes, failover, kill and restart, reshard; with Redis
 * ({@link RedisClusterHarnessIT}) and with Valkey ({@link ValkeyClusterHarnessIT}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class RedisClusterHarnessTests {

    /** The cluster the subclass starts, one per class. */
    abstract RedisCluster cluster();

    @Test
    @Order(1)
    void threeMastersWithOneReplicaEachCoverEverySlotAndServeKeys() {
        List<RedisCluster.Node> masters = cluster().masters();
        assertThat(masters).hasSize(3);
        assertThat(cluster().replicas()).hasSize(3);
        for (RedisCluster.Node master : masters) {
            assertThat(cluster()
                            .masterOf(cluster().replicaOf(master.nodeId()).port())
                            .nodeId())
                    .isEqualTo(master.nodeId());
        }
        assertThat(cluster().commands().clusterInfo())
                .contains("cluster_state:ok")
                .contains("cluster_slots_assigned:16384")
                .contains("cluster_known_nodes:6");
        assertThat(cluster().slotCounts().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum())
                .isEqualTo(16384);
        Partitions partitions = cluster().connection().getPartitions();
        assertThat(partitions.stream()
                        .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM))
                        .mapToInt(node -> node.getSlots().size())
                        .sum())
                .isEqualTo(16384);
        assertThat(cluster().clusterUrl())
                .startsWith("redis-cluster://127.0.0.1:")
                .matches("[^,]+,[^,]+,[^,]+");
        assertThat(cluster().seedUri()).isEqualTo(masters.get(0).uri());

        for (int i = 0; i < 300; i++) {
            cluster().commands().set("key:" + i, "value " + i);
        }
        for (int i = 0; i < 300; i++) {
            assertThat(cluster().commands().get("key:" + i)).isEqualTo("value " + i);
        }
        long total = 0;
        for (RedisCluster.Node master : masters) {
            long keys = cluster().nodeCommands(master.port()).dbsize();
            assertThat(keys).as("keys on master %s", master.port()).isPositive();
            total += keys;
        }
        assertThat(total).isEqualTo(300);

        cluster().flushAll();
        for (int port : cluster().ports()) {
            assertThat(cluster().nodeCommands(port).dbsize())
                    .as("keys on %s after flushAll", port)
                    .isZero();
        }
    }

    @Test
    @Order(2)
    void failoverMakesTheReplicaAMaster() {
        RedisCluster.Node master = cluster().masters().get(0);
        RedisCluster.Node replica = cluster().replicaOf(master.nodeId());
        String key = keyOwnedBy(master.nodeId());
        cluster().nodeCommands(master.port()).set(key, "before the failover");
        assertThat(cluster().nodeCommands(master.port()).waitForReplication(1, 10_000))
                .isEqualTo(1);

        cluster().failover(replica.port());

        assertThat(cluster().nodeCommands(replica.port()).info("replication")).contains("role:master");
        assertThat(cluster().nodeCommands(master.port()).info("replication")).contains("role:slave");
        assertThat(cluster().masters()).contains(replica).doesNotContain(master);
        assertThat(cluster().masterOf(master.port())).isEqualTo(replica);
        assertThat(cluster()
                        .connection()
                        .getPartitions()
                        .getPartitionByNodeId(replica.nodeId())
                        .is(RedisClusterNode.NodeFlag.UPSTREAM))
                .isTrue();
        assertThat(cluster().commands().get(key)).isEqualTo("before the failover");
    }

    @Test
    @Order(3)
    void reshardMovesThatManySlotsWithTheirKeys() {
        List<RedisCluster.Node> masters = cluster().masters();
        RedisCluster.Node from = masters.get(0);
        RedisCluster.Node to = masters.get(1);
        Map<String, Integer> before = cluster().slotCounts();
        Set<Integer> fromSlotsBefore = new HashSet<>(cluster()
                .connection()
                .getPartitions()
                .getPartitionByNodeId(from.nodeId())
                .getSlots());
        for (int i = 0; i < 500; i++) {
            cluster().commands().set("reshard:" + i, Integer.toString(i));
        }

        cluster().reshard(from.nodeId(), to.nodeId(), 100);

        Map<String, Integer> after = cluster().slotCounts();
        assertThat(after.get(from.nodeId())).isEqualTo(before.get(from.nodeId()) - 100);
        assertThat(after.get(to.nodeId())).isEqualTo(before.get(to.nodeId()) + 100);
        Partitions partitions = cluster().connection().getPartitions();
        List<Integer> moved = new ArrayList<>(fromSlotsBefore);
        moved.removeAll(partitions.getPartitionByNodeId(from.nodeId()).getSlots());
        assertThat(moved).hasSize(100);
        assertThat(moved)
                .allMatch(slot -> partitions.getMasterBySlot(slot).getNodeId().equals(to.nodeId()));
        int movedKeys = 0;
        for (int i = 0; i < 500; i++) {
            String key = "reshard:" + i;
            assertThat(cluster().commands().get(key)).isEqualTo(Integer.toString(i));
            if (moved.contains(SlotHash.getSlot(key))) {
                assertThat(cluster().nodeCommands(to.port()).get(key)).isEqualTo(Integer.toString(i));
                movedKeys++;
            }
        }
        assertThat(movedKeys).as("keys in the moved slots").isPositive();
    }

    @Test
    @Order(4)
    void aKilledMasterIsReplacedByItsReplicaAndRejoinsAsAReplica() throws Exception {
        RedisCluster.Node master = cluster().masters().get(cluster().masters().size() - 1);
        RedisCluster.Node replica = cluster().replicaOf(master.nodeId());
        String key = keyOwnedBy(master.nodeId());
        cluster().nodeCommands(master.port()).set(key, "before the crash");
        assertThat(cluster().nodeCommands(master.port()).waitForReplication(1, 10_000))
                .isEqualTo(1);

        cluster().killNode(master.port());
        assertThat(cluster().isRunning(master.port())).isFalse();
        cluster().awaitPromotionOf(replica.port());

        assertThat(cluster().masters()).contains(replica).doesNotContain(master);
        assertThat(cluster().commands().get(key)).isEqualTo("before the crash");

        cluster().restartNode(master.port());

        assertThat(cluster().nodeIdOf(master.port())).isEqualTo(master.nodeId());
        assertThat(cluster().replicas()).contains(master);
        assertThat(cluster().masterOf(master.port())).isEqualTo(replica);
        assertThat(cluster().commands().clusterInfo()).contains("cluster_state:ok");
    }

    private String keyOwnedBy(String nodeId) {
        Partitions partitions = cluster().connection().getPartitions();
        for (int i = 0; ; i++) {
            String key = "owned:" + i;
            if (partitions.getMasterBySlot(SlotHash.getSlot(key)).getNodeId().equals(nodeId)) {
                return key;
            }
        }
    }
}
