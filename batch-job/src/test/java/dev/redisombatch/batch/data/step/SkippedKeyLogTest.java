package dev.redisombatch.batch.data.step;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.RedisSettings;
import dev.redisombatch.batch.support.RedisCluster;
import io.lettuce.core.Range;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The skip log on a real Redis Cluster: a page's entries and its mark share the stream's slot (a script touching keys
 * of two slots is refused with CROSSSLOT), a page sent again adds nothing, another page adds its own.
 */
class SkippedKeyLogTest {

    @RegisterExtension
    static final RedisCluster cluster = new RedisCluster(3, 0);

    private static final List<SkipEntry> PAGE =
            List.of(new SkipEntry("user:1", "cannot migrate"), new SkipEntry("user:2", "not UTF-8"));

    @Test
    void aPageIsLoggedOnceInTheStreamsSlotWhateverTheMigrationId() {
        // Ids whose braces would make a hash tag of their own, or half of one.
        for (String id : List.of("20260101_plain", "m{users}1", "m{half")) {
            SkippedKeyLog log = new SkippedKeyLog(id, 1000);
            try (RedisEndpoint endpoint = new RedisEndpoint(RedisSettings.of(cluster.clusterUrl()));
                    PipelinedConnection connection = endpoint.openPipelined()) {
                assertThat(log.append(connection, "page-1", PAGE, Duration.ofSeconds(30)))
                        .isEqualTo(2);
                assertThat(log.append(connection, "page-1", PAGE, Duration.ofSeconds(30)))
                        .as("sent again")
                        .isZero();
                assertThat(log.append(connection, "page-2", PAGE.subList(0, 1), Duration.ofSeconds(30)))
                        .isOne();
            }
            assertThat(cluster.commands().xrange(SkippedKeyLog.streamKey(id), Range.create("-", "+")))
                    .extracting(entry -> entry.getBody().get("key"))
                    .containsExactly("user:1", "user:2", "user:1");
        }
    }
}
