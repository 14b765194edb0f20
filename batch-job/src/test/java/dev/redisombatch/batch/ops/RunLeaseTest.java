package dev.redisombatch.batch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.support.ImpatientClient;
import dev.redisombatch.batch.support.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The run lock against a real server whose writes are paused: the tool's own timed-out take is its own. */
class RunLeaseTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @BeforeEach
    void cleanRedis() {
        redis.commands().flushall();
        redis.commands().configResetstat();
    }

    /**
     * Seen before: under {@code CLIENT PAUSE 15000 WRITE} the take timed out, ran later, and its retry refused the
     * run (exit 5) naming the tool's own pid.
     */
    @Test
    void aTakeThatTimedOutAndRanLaterHoldsTheLockForThisRun() {
        try (RedisEndpoint endpoint = ImpatientClient.endpoint(redis)) {
            redis.pauseWrites(ImpatientClient.PAUSE);

            try (RunLease lease = RunLease.acquire(endpoint, "migrateData", LockSettings.defaults())) {
                assertThat(redis.calls("eval"))
                        .as("the take was sent again after a timeout")
                        .isGreaterThanOrEqualTo(2);
                lease.checkHeld();
                assertThat(redis.commands().get(RunLease.KEY))
                        .startsWith("migrateData pid " + ProcessHandle.current().pid() + " ");
                assertThat(redis.commands().pttl(RunLease.KEY)).isPositive();
            }
            assertThat(redis.commands().exists(RunLease.KEY))
                    .as("released at the end")
                    .isZero();
        }
    }

    @Test
    void aLeaseThatExpiredIsLostNotRetaken() throws Exception {
        try (RedisEndpoint endpoint = ImpatientClient.endpoint(redis);
                RunLease lease = RunLease.acquire(
                        endpoint, "migrateData", LockSettings.defaults().withTtl(Duration.ofSeconds(3)))) {
            redis.commands().del(RunLease.KEY);
            // The renewal runs every second; a bounded wait for it, not a timing assertion.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (isHeld(lease) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThatThrownBy(lease::checkHeld).hasMessageContaining("it expired before it could be renewed");
            assertThat(redis.commands().exists(RunLease.KEY)).isZero();
        }
    }

    private static boolean isHeld(RunLease lease) {
        try {
            lease.checkHeld();
            return true;
        } catch (RuntimeException lost) {
            return false;
        }
    }

    @Test
    void anotherRunsLockIsStillRefused() {
        redis.commands().set(RunLease.KEY, "migrateData pid 1 on elsewhere since then [x]");
        try (RedisEndpoint endpoint = ImpatientClient.endpoint(redis)) {
            assertThatThrownBy(() -> RunLease.acquire(endpoint, "migrateData", LockSettings.defaults()))
                    .hasMessageContaining("another run holds the lock")
                    .hasMessageContaining("pid 1 on elsewhere");
        }
        assertThat(redis.commands().get(RunLease.KEY)).isEqualTo("migrateData pid 1 on elsewhere since then [x]");
    }

    /**
     * Taken over at once only from a holder surely gone: not from a live one, nor from one whose pid another process
     * took since (a clock set forward would look the same, and two runs writing cost more than a TTL's wait).
     */
    @Test
    void theLockIsTakenOverAtOnceOnlyFromAHolderSurelyGone() {
        String here = ProcessOwner.describe("migrateData");
        String reused = here.replaceFirst(" since \\S+", " since 2020-01-01T00:00Z");
        String gone = here.replaceFirst("pid \\d+", "pid " + Integer.MAX_VALUE);
        try (RedisEndpoint endpoint = ImpatientClient.endpoint(redis)) {
            for (String holder : List.of(here + " [alive]", reused + " [reused]")) {
                redis.commands().set(RunLease.KEY, holder);
                assertThatThrownBy(() -> RunLease.acquire(endpoint, "migrateData", LockSettings.defaults()))
                        .hasMessageContaining("another run holds the lock");
                assertThat(redis.commands().get(RunLease.KEY)).isEqualTo(holder);
            }
            redis.commands().set(RunLease.KEY, gone + " [gone]");
            try (RunLease lease = RunLease.acquire(endpoint, "migrateData", LockSettings.defaults())) {
                lease.checkHeld();
                assertThat(redis.commands().get(RunLease.KEY)).isNotEqualTo(gone + " [gone]");
            }
        }
    }
}
