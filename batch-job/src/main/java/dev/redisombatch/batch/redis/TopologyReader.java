package dev.redisombatch.batch.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.models.role.RedisInstance;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@link Topology}: each master's address, run id, slots, SCAN layout and {@link DatasetMark} token, over the
 * connections a {@link RedisEndpoint} holds. Not retried: callers read inside their own retry.
 */
final class TopologyReader {

    private TopologyReader() {}

    /** The one server and what it holds. */
    static Topology ofServer(RedisClusterCommands<String, String> commands, RedisURI server) {
        String info = commands.info("server");
        return Topology.single(
                server.getHost(),
                server.getPort(),
                ServerInfo.runId(info),
                ScanLayout.of(info),
                datasetToken(commands, DatasetMark.keyOf(List.of())));
    }

    /** The masters of a cluster that own slots and are not failing, and what they hold (the topology reloaded first). */
    static Topology ofCluster(RedisClusterClient client, StatefulRedisClusterConnection<String, String> cluster) {
        RedisClusterCommands<String, String> commands = cluster.sync();
        client.refreshPartitions();
        List<Topology.Master> masters = new ArrayList<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.getRole() != RedisInstance.Role.UPSTREAM
                    || node.getSlots().isEmpty()
                    || node.is(RedisClusterNode.NodeFlag.FAIL)) {
                continue;
            }
            String info = cluster.getConnection(node.getNodeId()).sync().info("server");
            List<int[]> slots = ranges(node.getSlots());
            masters.add(new Topology.Master(
                    node.getNodeId(),
                    node.getUri().getHost(),
                    node.getUri().getPort(),
                    ServerInfo.runId(info),
                    slots,
                    ScanLayout.of(info),
                    datasetToken(commands, DatasetMark.keyOf(slots))));
        }
        return new Topology(masters);
    }

    /** The token of a master's {@link DatasetMark}, read through the shared connection (routed by slot). */
    private static String datasetToken(RedisClusterCommands<String, String> commands, String key) {
        String token = commands.get(key);
        return token == null ? DatasetMark.NONE : token;
    }

    private static List<int[]> ranges(List<Integer> slots) {
        List<int[]> ranges = new ArrayList<>();
        List<Integer> sorted = slots.stream().sorted().toList();
        int start = sorted.get(0);
        int previous = start;
        for (int slot : sorted.subList(1, sorted.size())) {
            if (slot != previous + 1) {
                ranges.add(new int[] {start, previous});
                start = slot;
            }
            previous = slot;
        }
        ranges.add(new int[] {start, previous});
        return ranges;
    }
}
