package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.ClusterUsers;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.RedisCluster;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrateData --target.url} from a 3-master cluster: every key of every master copied once, to one server and
 * to another cluster, then the built-in datetime migration applied there; the source only read. A kill -9 midway is
 * resumed by the same command, and a reshard of the source during the copy loses no key. Run on Redis 7.0
 * ({@link CopyFromClusterIT}: one hash table per node) and Valkey 8 ({@link ValkeyCopyFromClusterIT}: one table per
 * slot, sliced by slot ranges).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class CopyFromClusterTests {

    private static final int USERS = 100_000;
    private static final int OTHER_KEYS = 3_000;
    /** Commands that do not change a server: all a copy may send its source (Lettuce reads the topology too). */
    private static final Set<String> READ_ONLY = Set.of(
            "scan",
            "dump",
            "pttl",
            "info",
            "dbsize",
            "hello",
            "client|setinfo",
            "client|setname",
            "client|list",
            "command|info",
            "ping",
            "get",
            "exists",
            // the users' fields the migration reads as it converts them on the way (TYPE where a key's DUMP does not
            // say it)
            "hmget",
            "type",
            // the applied sets, taken whole when the copy completes
            "smembers",
            "cluster|nodes",
            "cluster|slots",
            "cluster|shards",
            "cluster|myid",
            "cluster|info",
            // Lettuce follows an ASK redirect (a routed GET while a slot moves) with ASKING: a flag on the connection
            // for the next command, not a write.
            "asking");

    private static final Pattern COPIED = Pattern.compile("this execution read (\\d+) keys and wrote (\\d+) ");

    /** The source, one per class. */
    abstract RedisCluster source();

    /** A single server of the same kind as the source (a DUMP is read by the same server or a later one). */
    abstract RedisServer targetServer();

    /** Another cluster of the same kind; null where the class starts none. */
    abstract RedisCluster targetCluster();

    @TempDir
    Path work;

    private Map<String, Map<String, String>> usersBefore;
    private Map<String, String> othersBefore;
    /** The keys on the source that are not this tool's own: what a copy reads. */
    private long sourceKeys;

    @BeforeAll
    void load(@TempDir Path loadWork) {
        source().flushAll();
        ClusterUsers.load(source(), USERS, loadWork);
        RedisAdvancedClusterCommands<String, String> redis = source().commands();
        othersBefore = new HashMap<>();
        for (int i = 0; i < OTHER_KEYS; i++) {
            String key = "other:" + i;
            switch (i % 3) {
                case 0 -> redis.set(key, "value " + i);
                case 1 -> redis.sadd(key, "a" + i, "b" + i);
                default -> redis.setex(key, 3_600 + i, "expiring " + i);
            }
            othersBefore.put(key, i % 3 == 1 ? "a" + i + ",b" + i : (i % 3 == 0 ? "value " : "expiring ") + i);
        }
        usersBefore = ClusterUsers.snapshot(source(), Users.PATTERN);
        sourceKeys = 0;
        for (RedisCluster.Node master : source().masters()) {
            RedisCommands<String, String> node = source().nodeCommands(master.port());
            sourceKeys += node.dbsize() - ownKeys(node);
        }
        assertThat(usersBefore).hasSize(USERS);
        assertThat(sourceKeys).isEqualTo(USERS + OTHER_KEYS);
    }

    private static long ownKeys(RedisCommands<String, String> node) {
        long own = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = node.scan(
                    cursor, ScanArgs.Builder.matches("redis-om-batch:*").limit(1000));
            own += page.getKeys().size();
            cursor = page;
        } while (!cursor.isFinished());
        return own;
    }

    @BeforeEach
    void emptyTargetsAndResetTheSourcesStatistics() {
        targetServer().commands().flushall();
        if (targetCluster() != null) {
            targetCluster().flushAll();
        }
        for (RedisCluster.Node master : source().masters()) {
            source().nodeCommands(master.port()).configResetstat();
        }
    }

    /**
     * The copy to {@code targetUrl}, with {@code extra} options (2 threads, and 16 partitions, 4 per master of the
     * source, unless they say).
     */
    String[] copyArgs(String targetUrl, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + source().clusterUrl(),
                "--target.url=" + targetUrl,
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at"));
        args.addAll(List.of(extra));
        for (String fallback : List.of("--partitions=16", "--threads=2")) {
            String option = fallback.substring(0, fallback.indexOf('=') + 1);
            if (args.stream().noneMatch(arg -> arg.startsWith(option))) {
                args.add(fallback);
            }
        }
        return args.toArray(String[]::new);
    }

    @Order(1)
    @Test
    void everyKeyOfEveryMasterIsCopiedOnceToOneServer() {
        InProcessRun run = InProcessRun.of(copyArgs(targetServer().url()));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertCopiedOnce(run.output());
        assertThat(run.output()).contains("the source did not change during the copy");
        assertTargetHoldsTheMigratedCopy(
                Users.snapshot(targetServer(), Users.PATTERN), targetServer().commands());
        assertSourceOnlyRead();

        InProcessRun again = InProcessRun.of(copyArgs(targetServer().url()));
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("done earlier, not copied again").contains("nothing pending");
    }

    @Order(2)
    @Test
    void everyKeyOfEveryMasterIsCopiedOnceToAnotherCluster() {
        Assumptions.assumeTrue(targetCluster() != null, "this class starts no second cluster");

        InProcessRun run = InProcessRun.of(copyArgs(targetCluster().clusterUrl()));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertCopiedOnce(run.output());
        assertThat(run.output()).contains("the source did not change during the copy");
        assertTargetHoldsTheMigratedCopy(
                ClusterUsers.snapshot(targetCluster(), Users.PATTERN),
                targetCluster().commands());
        assertSourceOnlyRead();
    }

    @Order(3)
    @Test
    void theSourceClusterAsItsOwnTargetIsAConfigurationError() {
        RedisCluster.Node oneMaster = source().masters().get(1);
        for (String itself : List.of(source().clusterUrl(), "redis://" + oneMaster.address() + "/0")) {
            InProcessRun run = InProcessRun.of(copyArgs(itself));

            assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
            assertThat(run.output()).contains("--target.url names the source itself");
        }
        assertSourceOnlyRead();
    }

    @Order(4)
    @Test
    void aCopyKilledMidwayIsCompletedByTheSameCommand() throws Exception {
        String[] args = copyArgs(targetServer().url(), "--scan-count=200", "--threads=1");
        JarProcess killed = JarProcess.start(work, args);
        awaitTargetKeys(killed, USERS / 4);
        killed.kill();
        assertThat(targetServer().commands().dbsize()).isLessThan(sourceKeys);

        InProcessRun resumed = InProcessRun.of(args);

        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("resuming execution");
        assertTargetHoldsTheMigratedCopy(
                Users.snapshot(targetServer(), Users.PATTERN), targetServer().commands());
        assertSourceOnlyRead();
    }

    @Order(5)
    @Test
    void aReshardOfTheSourceDuringTheCopyLosesNoKey() throws Exception {
        List<RedisCluster.Node> masters = source().masters();
        JarProcess copy = JarProcess.start(
                work, copyArgs(targetServer().url(), "--scan-count=100", "--threads=1", "--partitions=32"));
        awaitTargetKeys(copy, USERS / 10);
        source().reshard(masters.get(0).nodeId(), masters.get(1).nodeId(), 2000);
        JarProcess.Finished finished = copy.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isZero();
        Matcher copied = COPIED.matcher(finished.output());
        assertThat(copied.find()).as(finished.output()).isTrue();
        long read = Long.parseLong(copied.group(1));
        System.out.printf(
                "copy from a %s cluster resharded midway: %d keys read for %d on the source (%.3fx)%s%n",
                getClass().getSimpleName(),
                read,
                sourceKeys,
                (double) read / sourceKeys,
                finished.output()
                        .lines()
                        .filter(line -> line.contains("not proven copied"))
                        .map(line -> "\n  " + line)
                        .collect(Collectors.joining()));
        assertThat(read).isGreaterThanOrEqualTo(sourceKeys);
        assertThat(finished.output())
                .as("nothing wrote to the source: the keys the reshard moved are no changes left off the target")
                .doesNotContain("are not on the target");
        assertTargetHoldsTheMigratedCopy(
                Users.snapshot(targetServer(), Users.PATTERN), targetServer().commands());
        assertSourceOnlyRead();
    }

    private void awaitTargetKeys(JarProcess copy, long keys) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (targetServer().commands().dbsize() < keys && copy.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(copy.isAlive())
                .as("the copy was still running: %s", copy.output())
                .isTrue();
    }

    private void assertCopiedOnce(String output) {
        Matcher copied = COPIED.matcher(output);
        assertThat(copied.find()).as(output).isTrue();
        assertThat(Long.parseLong(copied.group(1)))
                .as("keys read: each key of the source once")
                .isEqualTo(sourceKeys);
        assertThat(Long.parseLong(copied.group(2))).as("keys written").isEqualTo(sourceKeys);
    }

    private void assertTargetHoldsTheMigratedCopy(
            Map<String, Map<String, String>> users, RedisClusterCommands<String, String> target) {
        assertThat(users).hasSize(usersBefore.size());
        assertThat(Users.wronglyMigrated(usersBefore, users)).isZero();
        RedisAdvancedClusterCommands<String, String> source = source().commands();
        Set<String> wrong = new TreeSet<>();
        for (var other : othersBefore.entrySet()) {
            int i = Integer.parseInt(other.getKey().substring("other:".length()));
            String value = i % 3 == 1
                    ? String.join(",", new TreeSet<>(target.smembers(other.getKey())))
                    : target.get(other.getKey());
            long ttl = target.pttl(other.getKey());
            long sourceTtl = source.pttl(other.getKey());
            boolean ttlRight = i % 3 == 2 ? Math.abs(ttl - sourceTtl) <= 2_000 : ttl == -1;
            if (!other.getValue().equals(value) || !ttlRight) {
                wrong.add(other.getKey() + "=" + value + " pttl " + ttl);
            }
        }
        assertThat(wrong).as("other keys not copied as they are").isEmpty();
    }

    private void assertSourceOnlyRead() {
        Set<String> called = new HashSet<>();
        for (RedisCluster.Node master : source().masters()) {
            source().nodeCommands(master.port())
                    .info("commandstats")
                    .lines()
                    .filter(line -> line.startsWith("cmdstat_"))
                    .forEach(line -> called.add(line.substring("cmdstat_".length(), line.indexOf(':'))));
        }
        called.removeAll(READ_ONLY);
        called.remove("config|resetstat");
        // The test's own reads of the source (its snapshot, its TTL checks) and the reshard's moves (MIGRATE sends the
        // receiving master SELECT and RESTORE-ASKING) are not the copy's.
        called.removeAll(Set.of(
                "hgetall",
                "smembers",
                "migrate",
                "select",
                "restore-asking",
                "cluster|setslot",
                "cluster|getkeysinslot",
                "cluster|countkeysinslot",
                "cluster|addslots",
                "cluster|bumpepoch"));
        assertThat(called).as("commands the source ran besides reads").isEmpty();
        long keys = 0;
        for (RedisCluster.Node master : source().masters()) {
            RedisCommands<String, String> node = source().nodeCommands(master.port());
            keys += node.dbsize() - ownKeys(node);
        }
        assertThat(keys).isEqualTo(USERS + OTHER_KEYS);
    }
}
