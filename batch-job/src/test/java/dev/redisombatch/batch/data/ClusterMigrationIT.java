package dev.redisombatch.batch.data;

import dev.redisombatch.batch.support.RedisCluster;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClusterMigrationTests} on Redis (Debian's 7.0: one hash table per node). */
class ClusterMigrationIT extends ClusterMigrationTests {

    @RegisterExtension
    static final RedisCluster cluster = new RedisCluster(3, 1);

    @Override
    RedisCluster cluster() {
        return cluster;
    }
}
