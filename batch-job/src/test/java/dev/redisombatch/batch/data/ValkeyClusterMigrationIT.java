package dev.redisombatch.batch.data;

import dev.redisombatch.batch.support.RedisCluster;
import dev.redisombatch.batch.support.ServerBinaries;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ClusterMigrationTests} on Valkey 8, whose cluster nodes keep one table per hash slot and carry the slot in
 * the SCAN cursor's low 14 bits, as Redis 7.4 and later do: slices cut by slot ranges.
 */
class ValkeyClusterMigrationIT extends ClusterMigrationTests {

    @RegisterExtension
    static final RedisCluster cluster = new RedisCluster(ServerBinaries.VALKEY, 3, 1);

    @Override
    RedisCluster cluster() {
        return cluster;
    }

    /** A third of the Redis class's users: the same walks, resumes and topology changes, in a third of the time. */
    @Override
    int users() {
        return 100_000;
    }
}
