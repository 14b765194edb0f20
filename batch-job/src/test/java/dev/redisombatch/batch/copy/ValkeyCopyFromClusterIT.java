package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisCluster;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.ServerBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CopyFromClusterTests} on Valkey 8, whose cluster nodes keep one table per hash slot (the slot in the SCAN
 * cursor): the source is sliced by slot ranges. To a Valkey server only: a Redis 7.0 cannot read Valkey 8's DUMP, and
 * is refused.
 */
class ValkeyCopyFromClusterIT extends CopyFromClusterTests {

    @RegisterExtension
    static final RedisCluster source = new RedisCluster(ServerBinaries.VALKEY, 3, 0);

    @RegisterExtension
    static final RedisServer targetServer = RedisServer.of(ServerBinaries.VALKEY);

    /** Debian's Redis 7.0, which cannot read what Valkey 8's DUMP writes. */
    @RegisterExtension
    static final RedisServer olderTarget = new RedisServer();

    @Test
    void aTargetThatCannotReadTheSourcesDumpIsRefusedAndKeepsNoMarkOfTheCopy() {
        olderTarget.commands().flushall();

        InProcessRun refused = InProcessRun.of(copyArgs(olderTarget.url()));

        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output()).contains("cannot read what the source's DUMP wrote");
        assertThat(olderTarget.commands().keys("*"))
                .as("what the target holds: this tool's own keys, but no mark of a copy")
                .allMatch(key -> key.startsWith("redis-om-batch:"))
                .doesNotContain("redis-om-batch:copy");
    }

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
