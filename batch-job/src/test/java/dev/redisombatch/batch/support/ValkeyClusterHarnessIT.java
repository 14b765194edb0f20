package dev.redisombatch.batch.support;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisClusterHarnessTests} with valkey-server and valkey-cli. */
class ValkeyClusterHarnessIT extends RedisClusterHarnessTests {

    @RegisterExtension
    static final RedisCluster cluster = new RedisCluster(ServerBinaries.VALKEY, 3, 1);

    @Override
    RedisCluster cluster() {
        return cluster;
    }
}
