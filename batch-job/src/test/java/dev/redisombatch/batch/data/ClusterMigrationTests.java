package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.ClusterUsers;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.RedisCluster;
import dev.redisombatch.batch.support.Samples;
import dev.redisombatch.batch.support.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data migrations on a real cluster of 3 masters and 3 replicas: every master's slices walked, writes routed by
 * slot, resumed after kill -9, walked again after a failover and after slots moved, and the bookkeeping keys spread
 * over the slots. Run on Redis 7.0 ({@link ClusterMigrationIT}: one hash table per node) and on Valkey 8
 * ({@link ValkeyClusterMigrationIT}: one table per slot, the slot in the SCAN cursor).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClusterMigrationTests {

    private static final String DATETIME = DatetimeFieldsToTimestamps.ID;

    /** The cluster the subclass starts, one per class. */
    abstract RedisCluster cluster();

    /** Users of the larger tests: enough for a run to be under way while a master dies or slots move. */
    int users() {
        return 300_000;
    }

    @TempDir
    Path work;

    @BeforeEach
    void emptyCluster() {
        cluster().flushAll();
    }

    private String[] migrate(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + cluster().clusterUrl(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at",
                "--progress.interval=1"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private Map<String, Map<String, String>> loadUsers(long count) {
        ClusterUsers.load(cluster(), count, work);
        cluster().commands().set("other:string", "left alone");
        cluster().commands().hset("other:hash", Map.of("created_at", "2024-01-15T10:30:00Z"));
        return ClusterUsers.snapshot(cluster(), Users.PATTERN);
    }

    /** Documents read over every walk of the run, as recorded, against the users there are. */
    private void assertKeysReadAtMost(long users, double ratio, String why) {
        long read = Long.parseLong(cluster().commands().hget(MigrationKind.DATA.recordKey(DATETIME), "keys_read"));
        System.out.printf("%s: %d documents read for %d users (%.3fx)%n", why, read, users, (double) read / users);
        assertThat(read).as(why).isGreaterThanOrEqualTo(users).isLessThanOrEqualTo((long) (users * ratio));
    }

    private void assertEveryUserRightAndNothingElseTouched(Map<String, Map<String, String>> before) {
        Map<String, Map<String, String>> after = ClusterUsers.snapshot(cluster(), Users.PATTERN);
        assertThat(after).hasSameSizeAs(before);
        assertThat(Users.wronglyMigrated(before, after)).isZero();
        assertThat(cluster().commands().get("other:string")).isEqualTo("left alone");
        assertThat(cluster().commands().hget("other:hash", "created_at")).isEqualTo("2024-01-15T10:30:00Z");
        assertThat(cluster().commands().sismember(MigrationKind.DATA.appliedSet(), DATETIME))
                .isTrue();
    }

    @Order(1)
    @ParameterizedTest(name = "{0} slices per master")
    @ValueSource(ints = {1, 4, 16})
    void everyMasterIsWalkedWhateverTheSlices(int slices) {
        Map<String, Map<String, String>> before = loadUsers(slices == 16 ? users() : users() / 3);
        cluster()
                .masters()
                .forEach(master -> cluster().nodeCommands(master.port()).configResetstat());

        InProcessRun run = InProcessRun.of(migrate(slicesPerMaster(slices)));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertEveryUserRightAndNothingElseTouched(before);
        Map<String, String> record = cluster().commands().hgetall(MigrationKind.DATA.recordKey(DATETIME));
        long withDate = before.values().stream()
                .filter(user -> user.containsKey("created_at"))
                .count();
        assertThat(Long.parseLong(record.get("changed")))
                .as("exact, counted by the write script in every slot")
                .isEqualTo(withDate);
        assertThat(Long.parseLong(record.get("partitions"))).isEqualTo(3L * slices);
        assertThat(Long.parseLong(record.get("keys_read")))
                .as("each key read once: a slice passes over the keys its last SCAN call read in the next one's")
                .isEqualTo(before.size());
        assertThat(cluster().commands().keys("redis-om-batch:changed:*"))
                .as("per-slot counters cleared")
                .isEmpty();
        long scriptCalls = cluster().masters().stream()
                .mapToLong(master -> cluster().scriptCallsRan(master.port()))
                .sum();
        assertThat(scriptCalls)
                .as("a batch of one master's documents goes as one script call, not one per slot (about 900 per"
                        + " 1,000 documents here)")
                .isLessThanOrEqualTo(withDate / 100);
    }

    @Order(2)
    @Test
    void aMasterThatFailsOverMidRunHasItsKeysWalkedAgainOnItsReplica() throws Exception {
        Map<String, Map<String, String>> before = loadUsers(users());
        RedisCluster.Node victim = cluster().masters().get(0);
        RedisCluster.Node replica = cluster().replicaOf(victim.nodeId());

        JarProcess run = JarProcess.start(
                work, migrate(slicesPerMaster(8), "--threads=1", "--chunk-size=200", "--scan-count=200"));
        waitForProgress(run);
        cluster().killNode(victim.port());
        try {
            cluster().awaitPromotionOf(replica.port());
            // The old master's process comes back, empty, as the new master's replica, while the run goes on.
            cluster().restartNode(victim.port());
            JarProcess.Finished finished = run.waitFor();

            assertThat(finished.exitCode()).as(finished.output()).isZero();
            // Whether its partitions had ended before the kill or not, the dead master vouches for none of its slots.
            assertThat(finished.output()).containsPattern("Walking \\d+ slot\\(s\\) \\([\\d,.-]+\\) again");
            assertEveryUserRightAndNothingElseTouched(before);
            assertKeysReadAtMost(before.size(), 1.4, "only the failed master's slots are walked again");
        } finally {
            // Whatever happened above, the later tests need the cluster whole again (each master with its replica).
            if (!cluster().isRunning(victim.port())) {
                cluster().restartNode(victim.port());
            }
        }
    }

    @Order(3)
    @Test
    void slotsMovedBetweenMastersMidRunAreWalkedAgain() throws Exception {
        Map<String, Map<String, String>> before = loadUsers(users());
        List<RedisCluster.Node> masters = cluster().masters();

        JarProcess run = JarProcess.start(
                work, migrate(slicesPerMaster(8), "--threads=1", "--chunk-size=200", "--scan-count=200"));
        waitForProgress(run);
        cluster().reshard(masters.get(0).nodeId(), masters.get(1).nodeId(), 2000);
        JarProcess.Finished finished = run.waitFor();

        // Slots that moved while a slice holding them was walked are walked again; whether any did depends on where
        // the walk was when the reshard ran (before or after every slice of the two masters, none).
        assertThat(finished.exitCode()).as(finished.output()).isZero();
        assertEveryUserRightAndNothingElseTouched(before);
        assertKeysReadAtMost(before.size(), 1.2, "only slots that moved while walked are walked again");
    }

    @Order(4)
    @Test
    void killedWithSigkillTheSameCommandResumes() throws Exception {
        Map<String, Map<String, String>> before = loadUsers(users());
        String[] args =
                migrate(slicesPerMaster(4), "--threads=1", "--chunk-size=200", "--scan-count=200", "--lock.ttl=5");

        JarProcess first = JarProcess.start(work, args);
        waitForProgress(first);
        first.kill();
        JarProcess.Finished second = JarProcess.run(work, args);

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("resuming job instance");
        assertEveryUserRightAndNothingElseTouched(before);
        long withDate = before.values().stream()
                .filter(user -> user.containsKey("created_at"))
                .count();
        assertThat(Long.parseLong(cluster().commands().hget(MigrationKind.DATA.recordKey(DATETIME), "changed")))
                .as("exact across the kill")
                .isEqualTo(withDate);
    }

    @Order(4)
    @Test
    void killedWithSigkillThenSlotsMovedTheResumeWalksAgainOnlyWhatMoved() throws Exception {
        Map<String, Map<String, String>> before = loadUsers(users() / 3);
        List<RedisCluster.Node> masters = cluster().masters();
        String[] args =
                migrate(slicesPerMaster(4), "--threads=3", "--chunk-size=200", "--scan-count=200", "--lock.ttl=5");

        JarProcess first = JarProcess.start(work, args);
        waitForProgress(first);
        first.kill();
        cluster().reshard(masters.get(2).nodeId(), masters.get(0).nodeId(), 1000);
        JarProcess.Finished second = JarProcess.run(work, args);

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("resuming job instance");
        assertEveryUserRightAndNothingElseTouched(before);
        assertKeysReadAtMost(before.size(), 1.2, "the resumed checkpoints still count where the slots stayed put");
    }

    @Order(5)
    @Test
    void dryRunWritesNothingMaxErrorsStopsAndRollbackAndVerifyWork() throws Exception {
        Map<String, Map<String, String>> before = loadUsers(20_000);
        List<Long> sizes = cluster().masters().stream()
                .map(node -> cluster().nodeCommands(node.port()).dbsize())
                .toList();

        InProcessRun dry = InProcessRun.of(migrate("--dry-run"));
        assertThat(dry.exitCode()).as(dry.output()).isZero();
        assertThat(ClusterUsers.snapshot(cluster(), Users.PATTERN)).isEqualTo(before);
        assertThat(cluster().masters().stream()
                        .map(node -> cluster().nodeCommands(node.port()).dbsize())
                        .toList())
                .isEqualTo(sizes);

        List<String> bad = new ArrayList<>(before.keySet()).subList(0, 3);
        bad.forEach(key -> cluster().commands().hset(key, "created_at", "not a date"));
        InProcessRun limited = InProcessRun.of(migrate("--max-errors=2"));
        assertThat(limited.exitCode()).as(limited.output()).isEqualTo(4);
        long skipped = cluster().commands().xlen("redis-om-batch:skipped:" + DATETIME);
        assertThat(skipped).isBetween(0L, 2L);
        bad.forEach(key ->
                cluster().commands().hset(key, "created_at", before.get(key).get("created_at")));

        String[] samples = {"--migrations.jars=" + Samples.jar()};
        InProcessRun applied = InProcessRun.of(migrate(samples));
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        InProcessRun verify = InProcessRun.of(args("verify", "--check-data", samples[0]));
        // Documents skipped in pages already committed stay as they were, fixed since or not; those skipped in the
        // page in flight when the budget ran out are read again by the resumed run and converted. Verify finds
        // exactly the first kind.
        long left = bad.stream()
                .filter(key -> !cluster().commands().hget(key, "created_at").matches("-?\\d+(\\.\\d+)?"))
                .count();
        assertThat(left).isLessThanOrEqualTo(skipped);
        assertThat(verify.exitCode()).as(verify.output()).isEqualTo(left == 0 ? 0 : 7);
        assertThat(verify.stdout())
                .contains(DATETIME + ": 20000 documents checked, "
                        + (left == 0 ? "none left to migrate" : left + " would still change"));
        assertThat(verify.stdout()).contains("20260101_000300_split_name: 20000 documents checked, none left");

        InProcessRun rollback = InProcessRun.of(args("rollback", "--migration=20260101_000300_split_name", samples[0]));
        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        Map<String, Map<String, String>> after = ClusterUsers.snapshot(cluster(), Users.PATTERN);
        before.forEach((key, user) -> assertThat(after.get(key))
                .containsEntry("name", user.get("name"))
                .doesNotContainKeys("first_name", "last_name"));
    }

    @Order(6)
    @Test
    void schemaMigrationsAreRefusedOnAClusterInOneLine() throws Exception {
        Files.createDirectories(work.resolve("migrations/schema-migrations"));
        JarProcess.Finished run = JarProcess.run(
                work,
                "--job=migrateSchema",
                "--redis.url=" + cluster().clusterUrl(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.stderr().strip().lines()).hasSize(1);
        assertThat(run.stderr()).contains("schema migrations on a Redis Cluster are not supported");
    }

    private String[] args(String job, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=" + job,
                "--redis.url=" + cluster().clusterUrl(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static void waitForProgress(JarProcess process) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            if (process.output().matches("(?s).*walked, [1-9][\\d,]{2,} read.*")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no progress:\n" + process.output());
    }

    /**
     * The {@code --partitions} that cuts each of the 3 masters into {@code slices} (a power of two): the masters share
     * the partitions asked for, each getting the largest power of two within a third of them.
     */
    private static String slicesPerMaster(int slices) {
        return "--partitions=" + 4 * slices;
    }
}
