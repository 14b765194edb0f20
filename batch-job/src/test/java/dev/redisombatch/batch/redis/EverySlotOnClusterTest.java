package dev.redisombatch.batch.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.RedisCluster;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisEndpoint#inEverySlot} on a cluster: one script call per master does the slots it serves steadily, and a
 * master with a slot moving has every slot of its own sent as routed commands instead, with the same replies.
 */
class EverySlotOnClusterTest {

    @RegisterExtension
    static final RedisCluster cluster = new RedisCluster(3, 0);

    @BeforeEach
    void empty() {
        cluster.flushAll();
        cluster.masters().forEach(master -> cluster.nodeCommands(master.port()).configResetstat());
    }

    private static String keyOf(int slot) {
        return "test:every-slot:{" + SlotTags.tagFor(slot) + "}";
    }

    private static String markOf(int slot) {
        return "test:mark:{" + SlotTags.tagFor(slot) + "}";
    }

    @Test
    void eachMasterDoesItsSlotsInOneCall() {
        cluster.commands().hset(keyOf(0), "f", "zero");
        cluster.commands().hset(keyOf(16383), "f", "last");
        cluster.commands().set(markOf(0), "before");
        cluster.masters().forEach(master -> cluster.nodeCommands(master.port()).configResetstat());

        try (RedisEndpoint endpoint = new RedisEndpoint(RedisSettings.of(cluster.clusterUrl()))) {
            List<String> set =
                    endpoint.inEverySlot("SET", EverySlotOnClusterTest::markOf, SlotCommand.setIfAbsent("t"));
            List<String> values = endpoint.inEverySlot("HGET", EverySlotOnClusterTest::keyOf, SlotCommand.hget("f"));

            assertThat(set).hasSize(16384);
            assertThat(set.stream().filter(Objects::nonNull))
                    .as("set where absent")
                    .hasSize(16383);
            assertThat(set.get(0)).as("slot 0's mark was there: NX left it").isNull();
            assertThat(cluster.commands().get(markOf(0))).isEqualTo("before");
            assertThat(cluster.commands().get(markOf(16383))).isEqualTo("t");
            assertThat(values.get(0)).isEqualTo("zero");
            assertThat(values.get(16383)).isEqualTo("last");
            assertThat(values.subList(1, 16383)).containsOnlyNulls();
        }
        long keys = cluster.masters().stream()
                .mapToLong(master -> cluster.nodeCommands(master.port()).dbsize())
                .sum();
        assertThat(keys).as("a mark in every slot, and the two hashes").isEqualTo(16384 + 2);
        for (RedisCluster.Node master : cluster.masters()) {
            assertThat(calls(master.port(), "eval")).as("one call per command").isEqualTo(2);
            assertThat(calls(master.port(), "set"))
                    .as("SET NX inside the script only")
                    .isGreaterThan(5000);
            assertThat(calls(master.port(), "hget"))
                    .as("no routed command (HGET inside the script)")
                    .isGreaterThan(5000);
        }
    }

    @Test
    void aMasterWithASlotMovingHasItsSlotsSentRouted() {
        RedisCluster.Node first = cluster.masters().get(0);
        RedisCluster.Node second = cluster.masters().get(1);
        int moving = cluster.connection()
                .getPartitions()
                .getPartitionByNodeId(first.nodeId())
                .getSlots()
                .get(0);
        cluster.commands().hset(keyOf(moving), "f", "moving");
        cluster.nodeCommands(second.port()).clusterSetSlotImporting(moving, first.nodeId());
        cluster.nodeCommands(first.port()).clusterSetSlotMigrating(moving, second.nodeId());
        try (RedisEndpoint endpoint = new RedisEndpoint(RedisSettings.of(cluster.clusterUrl()))) {
            cluster.masters()
                    .forEach(master -> cluster.nodeCommands(master.port()).configResetstat());

            List<String> values = endpoint.inEverySlot("HGET", EverySlotOnClusterTest::keyOf, SlotCommand.hget("f"));
            List<Long> removed = endpoint.inEverySlot("HDEL", EverySlotOnClusterTest::keyOf, SlotCommand.hdel("f"));

            assertThat(values.get(moving)).isEqualTo("moving");
            assertThat(values.stream().filter(Objects::nonNull)).hasSize(1);
            assertThat(removed.get(moving)).isEqualTo(1L);
            assertThat(removed.stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
            int firstSlots = cluster.connection()
                    .getPartitions()
                    .getPartitionByNodeId(first.nodeId())
                    .getSlots()
                    .size();
            assertThat(calls(first.port(), "hget"))
                    .as("the master with a moving slot: every slot of its own routed")
                    .isEqualTo(firstSlots);
            assertThat(calls(second.port(), "eval")).isEqualTo(2);
        } finally {
            cluster.nodeCommands(first.port()).clusterSetSlotStable(moving);
            cluster.nodeCommands(second.port()).clusterSetSlotStable(moving);
        }
    }

    /** A command's calls on a node since its statistics were reset (inside scripts too), from INFO commandstats. */
    private static long calls(int port, String command) {
        return ServerInfo.calls(cluster.nodeCommands(port).info("commandstats"), command)
                .orElse(0L);
    }
}
