package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.support.RedisCluster;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.ServerBinaries;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CopyFromClusterTests} on Valkey 8, whose cluster nodes keep one table per hash slot (the slot in the SCAN
 * cursor): the source is sliced by slot ranges. To a Valkey server only (a Redis 7.0 cannot read Valkey 8's DUMP).
 */
class ValkeyCopyFromClusterIT extends CopyFromClusterTests {

    @RegisterExtension
    static final RedisCluster source = new RedisCluster(ServerBinaries.VALKEY, 3, 0);

    @RegisterExtension
    static final RedisServer targetServer = RedisServer.of(ServerBinaries.VALKEY);

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
        return null;
    }
}
