package dev.redisombatch.batch.support;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisClusterHarnessTests} with redis-server and redis-cli. */
class RedisClusterHarnessIT extends RedisClusterHarnessTests {

    @RegisterExtension
    static final RedisCluster cluster = new RedisCluster(3, 1);

    @Override
    RedisCluster cluster() {
        return cluster;
    }
}
