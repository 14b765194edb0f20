package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.support.RedisCluster;
import dev.redisombatch.batch.support.RedisServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link CopyFromClusterTests} on Redis (Debian's 7.0: one hash table per node), to a server and to a cluster. */
class CopyFromClusterIT extends CopyFromClusterTests {

    @RegisterExtension
    static final RedisCluster source = new RedisCluster(3, 0);

    @RegisterExtension
    static final RedisServer targetServer = new RedisServer();

    @RegisterExtension
    static final RedisCluster targetCluster = new RedisCluster(3, 0);

    @Override
    RedisCluster source() {
        return source;
    }

    @Override
    RedisServer targetServer() {
        return targetServer;
    }

    @Override
    RedisCluster targetCluster() {
        return targetCluster;
    }
}
