package dev.redisombatch.batch.support;

import dev.redisombatch.batch.RedisOmBatchApplication;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Redis OM-shaped users in a {@link RedisCluster}: loaded through the tool, read back master by master. */
public final class ClusterUsers {

    private ClusterUsers() {}

    /** Writes {@code count} demo users through the tool itself (routed by slot), then waits for the replicas, if any. */
    public static void load(RedisCluster cluster, long count, Path work) {
        int exit = RedisOmBatchApplication.run(
                "--job=generateDemoData",
                "--count=" + count,
                "--redis.url=" + cluster.clusterUrl(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("load"));
        if (exit != 0) {
            throw new IllegalStateException("generateDemoData exited " + exit);
        }
        if (cluster.replicas().isEmpty()) {
            return;
        }
        for (RedisCluster.Node master : cluster.masters()) {
            cluster.nodeCommands(master.port()).waitForReplication(1, 10_000);
        }
    }

    /** Every hash matching {@code pattern} on every master, by key, read with SCAN and pipelined HGETALLs. */
    public static Map<String, Map<String, String>> snapshot(RedisCluster cluster, String pattern) {
        Map<String, Map<String, String>> documents = new HashMap<>();
        for (RedisCluster.Node master : cluster.masters()) {
            RedisCommands<String, String> node = cluster.nodeCommands(master.port());
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page =
                        node.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
                cursor = page;
                List<RedisFuture<Map<String, String>>> values = new ArrayList<>();
                var async = node.getStatefulConnection().async();
                for (String key : page.getKeys()) {
                    values.add(async.hgetall(key));
                }
                for (int i = 0; i < values.size(); i++) {
                    try {
                        Map<String, String> hash = values.get(i).get(30, TimeUnit.SECONDS);
                        if (!hash.isEmpty()) {
                            documents.put(page.getKeys().get(i), hash);
                        }
                    } catch (Exception e) {
                        // a key of another type under the pattern: not a user
                    }
                }
            } while (!cursor.isFinished());
        }
        return documents;
    }
}
