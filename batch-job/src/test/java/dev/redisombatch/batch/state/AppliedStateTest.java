package dev.redisombatch.batch.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.support.ImpatientClient;
import dev.redisombatch.batch.support.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The applied state's writes against a real server whose writes are paused, so that each is sent twice. */
class AppliedStateTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @BeforeEach
    void cleanRedis() {
        redis.commands().flushall();
        redis.commands().configResetstat();
    }

    @Test
    void marksSentTwiceMoveTheGenerationOneStepEach() {
        try (RedisEndpoint endpoint = ImpatientClient.endpoint(redis)) {
            AppliedState state = new AppliedState(endpoint, MigrationKind.DATA);

            redis.pauseWrites(ImpatientClient.PAUSE);
            state.markApplied("m1", Map.of("how", "applied"));

            assertThat(redis.calls("eval"))
                    .as("the bump was sent again after a timeout")
                    .isGreaterThanOrEqualTo(2);
            assertThat(state.generation("m1")).isEqualTo(1);
            assertThat(state.ids()).containsExactly("m1");
            assertThat(state.record("m1")).isEqualTo(Map.of("how", "applied"));

            redis.pauseWrites(ImpatientClient.PAUSE);
            state.markRolledBack("m1");

            assertThat(state.generation("m1")).isEqualTo(2);
            assertThat(state.ids()).isEmpty();
            assertThat(state.record("m1")).isEmpty();
        }
    }
}
