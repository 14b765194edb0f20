package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.ClusterUsers;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.RedisCluster;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import dev.redisombatch.batch.support.WritingApplication;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrateData --target.url --follow}: an application writes to the source (creates, changes, deletes users;
 * strings that expire and others it deletes) while the copy runs and while the run follows; after SIGTERM the target
 * holds what the source holds, users converted, and the run exits 0. What notifications cannot tell (a dropped
 * connection, a flush, a follow killed) ends with exit 7, saying what and when.
 */
class FollowIT {

    private static final int USERS = 30_000;
    /** Where the target says, for Redis OM, which migrations its data has had: the target's own, not a copy. */
    private static final String APPLIED_FOR_REDIS_OM = "redis_om:applied_migrations";

    @RegisterExtension
    static final RedisServer source = new RedisServer();

    @RegisterExtension
    static final RedisCluster target = new RedisCluster(3, 0);

    @TempDir
    Path work;

    @BeforeEach
    void freshSourceAndEmptyTarget() {
        source.commands().flushall();
        source.commands().configSet("notify-keyspace-events", "KEA");
        Users.load(source, USERS);
        target.flushAll();
    }

    private String[] args(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + source.url(),
                "--target.url=" + target.clusterUrl(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at",
                "--partitions=8",
                "--threads=2",
                "--scan-count=200",
                "--progress.interval=1"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void changesMadeDuringTheCopyAndWhileFollowingAreOnTheTargetAfterTheStop() throws Exception {
        JarProcess run = JarProcess.start(work, args("--follow"));
        try (WritingApplication application = new WritingApplication(source.commands(), Users.PATTERN, USERS)) {
            application.start();
            awaitFollowing(run);
            long atFollowing = application.operations();
            while (application.operations() < atFollowing + 3_000 && run.isAlive()) {
                Thread.sleep(20);
            }
        }
        // Past the short-lived keys' time to live: both sides have expired them.
        Thread.sleep(1_000);
        run.terminate();
        JarProcess.Finished finished = run.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isZero();
        assertThat(finished.stdout())
                .contains("followed the source from")
                .contains("all written")
                .contains("the target holds every change the source made while followed");
        // 3,000 operations after following began: a third create or change a user, a third delete a key.
        Matcher followed = Pattern.compile(
                        "(\\d+) keys copied again \\((\\d+) conversions by the migrations\\), (\\d+) deleted")
                .matcher(finished.stdout());
        assertThat(followed.find()).as(finished.stdout()).isTrue();
        assertThat(Long.parseLong(followed.group(1))).isGreaterThanOrEqualTo(1_000);
        assertThat(Long.parseLong(followed.group(2))).isGreaterThanOrEqualTo(500);
        // Deleted counts keys the target held: a key created and deleted before it was read again never got there.
        assertThat(Long.parseLong(followed.group(3))).isPositive();
        assertTargetHoldsWhatTheSourceHolds();
        String[] verify = args("--check-data=true");
        verify[0] = "--job=verify";
        InProcessRun compared = InProcessRun.of(verify);
        assertThat(compared.exitCode()).as(compared.output()).isZero();
        String[] status = args();
        status[0] = "--job=status";
        InProcessRun shown = InProcessRun.of(status);
        assertThat(shown.output()).contains("; in step with it as of ").contains("(a follow's clean end)");
    }

    @Test
    void aSourceThatDoesNotNotifyEveryChangeIsRefusedBeforeAnythingIsCopied() {
        source.commands().configSet("notify-keyspace-events", "Kh");

        InProcessRun run = InProcessRun.of(args("--follow"));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output())
                .contains("notify-keyspace-events is \"hK\"")
                .contains("CONFIG SET notify-keyspace-events KEA");
        assertThat(dataKeysOnTarget()).isEmpty();
    }

    @Test
    void aDroppedNotificationConnectionOrAFlushEndsWithExit7SayingWhen() throws Exception {
        JarProcess run = JarProcess.start(work, args("--follow"));
        awaitFollowing(run);
        source.commands().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
        source.commands().hset(":app.models.User:while-dropped", "created_at", "2024-03-03T03:03:03");
        awaitOutput(run, "following:");
        source.commands().flushdb();
        Thread.sleep(2_500); // past a look at the source's INFO (one a second)
        run.terminate();
        JarProcess.Finished finished = run.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isEqualTo(7);
        assertThat(finished.stdout())
                .contains("the target may differ from the source: the connection for the source's notifications was"
                        + " down from")
                .contains("the target may differ from the source: the source ran FLUSHALL, FLUSHDB or SWAPDB");
        assertThat(finished.output()).contains("verify --target.url --check-data says which keys differ");
    }

    @Test
    void aMigrationAppliedOnTheSourceWhileFollowedLeavesTheTargetsRecordItsOwnAndEndsWithExit7() throws Exception {
        JarProcess run = JarProcess.start(work, args("--follow"));
        awaitFollowing(run);
        Set<String> appliedOnTheTarget = target.commands().smembers(APPLIED_FOR_REDIS_OM);
        assertThat(appliedOnTheTarget).isNotEmpty();
        source.commands().sadd(APPLIED_FOR_REDIS_OM, "applied-on-the-source");
        // A user the migration rejects: skipped and logged, left as the source holds it, as a walk leaves it.
        source.commands().hset(":app.models.User:not-a-date", "created_at", "last tuesday");
        source.commands().hset(":app.models.User:after-the-set", "created_at", "2024-05-05T05:05:05");
        while (target.commands().exists(":app.models.User:after-the-set") == 0) {
            assertThat(run.isAlive()).as(run.output()).isTrue();
            Thread.sleep(20);
        }
        run.terminate();
        JarProcess.Finished finished = run.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isEqualTo(7);
        assertThat(finished.stdout())
                .contains(
                        "the target may differ from the source: " + APPLIED_FOR_REDIS_OM + " changed on the source at")
                .contains("the target's record of its migrations was left as it is")
                .contains("(1 conversions by the migrations, 1 skipped, left as the source holds them");
        assertThat(target.commands().hget(":app.models.User:not-a-date", "created_at"))
                .isEqualTo("last tuesday");
        assertThat(target.commands().smembers(APPLIED_FOR_REDIS_OM)).isEqualTo(appliedOnTheTarget);
    }

    @Test
    void aNotificationSettingFlippedOrATargetFlushedWhileFollowingEndWithExit7() throws Exception {
        JarProcess run = JarProcess.start(work, args("--follow"));
        awaitFollowing(run);
        // Off and on again within a look (once a second): the write between is notified to no one.
        source.commands().configSet("notify-keyspace-events", "");
        source.commands().set("unnotified", "1");
        source.commands().configSet("notify-keyspace-events", "KEA");
        Thread.sleep(2_500);
        target.flushAll();
        source.commands().set("after-the-flush", "1");
        Thread.sleep(2_500);
        // Said as gaps at the stop, or in why following stopped short: a flushed target has lost the run's lock too.
        assertThat(outputOfAStopEndingWithExit7(run))
                .contains("CONFIG SET ran on the source between")
                .containsPattern("cluster:\\S+ was flushed or replaced, in whole or in part")
                .doesNotContain("the target holds every change");
        assertThat(target.commands().hgetall("redis-om-batch:copy"))
                .as("no mark of a copy the target no longer holds")
                .isEmpty();
    }

    @Test
    void keysTheTargetEvictedWhileFollowingEndWithExit7() throws Exception {
        JarProcess run = JarProcess.start(work, args("--follow"));
        awaitFollowing(run);
        for (RedisCluster.Node master : target.masters()) {
            RedisCommands<String, String> node = target.nodeCommands(master.port());
            node.configSet("maxmemory-policy", "allkeys-random");
            // Below what it holds, but above what it needs empty: each write there evicts keys to make room.
            long used = Long.parseLong(node.info("memory")
                    .lines()
                    .filter(line -> line.startsWith("used_memory:"))
                    .findFirst()
                    .orElseThrow()
                    .substring("used_memory:".length())
                    .trim());
            node.configSet("maxmemory", Long.toString(used * 9 / 10));
        }
        try {
            for (int i = 0; i < 300; i++) {
                source.commands().set("large:" + i, "x".repeat(10_000));
            }
            Thread.sleep(2_000);
            // Said as a gap at the stop, or in why following stopped short (its lock evicted too, say).
            assertThat(outputOfAStopEndingWithExit7(run))
                    .containsPattern("the target evicted keys while following \\([1-9]\\d* by ");
        } finally {
            for (RedisCluster.Node master : target.masters()) {
                target.nodeCommands(master.port()).configSet("maxmemory", "0");
                target.nodeCommands(master.port()).configSet("maxmemory-policy", "noeviction");
            }
        }
    }

    @Test
    void aFollowKilledLeavesTheNextFollowSayingWhatNoOneHeard() throws Exception {
        JarProcess killed = JarProcess.start(work, args("--follow"));
        awaitFollowing(killed);
        killed.kill();
        source.commands().hset(":app.models.User:unheard", "created_at", "2024-04-04T04:04:04");

        JarProcess again = JarProcess.start(work, args("--follow", "--lock.ttl=5"));
        awaitFollowing(again);
        again.terminate();
        JarProcess.Finished finished = again.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isEqualTo(7);
        assertThat(finished.stdout())
                .contains("done earlier, not copied again")
                .containsPattern("the source changed \\d+ times between .* \\(when following began\\), and those"
                        + " changes were heard by no one");
        assertThat(target.commands().exists(":app.models.User:unheard")).isZero();
    }

    /** Stops the run (SIGTERM), checks that it ended with exit 7, and returns what it printed (both streams). */
    private static String outputOfAStopEndingWithExit7(JarProcess run) throws Exception {
        run.terminate();
        JarProcess.Finished finished = run.waitFor();
        assertThat(finished.exitCode()).as(finished.output()).isEqualTo(7);
        return finished.output();
    }

    private static void awaitFollowing(JarProcess run) throws Exception {
        awaitOutput(run, "following the source's changes into");
    }

    private static void awaitOutput(JarProcess run, String text) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (!run.output().contains(text)) {
            assertThat(run.isAlive())
                    .as("ended before \"" + text + "\":\n" + run.output())
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("no \"" + text + "\" within 3 minutes")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void assertTargetHoldsWhatTheSourceHolds() {
        Map<String, Map<String, String>> sourceUsers = Users.snapshot(source, Users.PATTERN);
        Map<String, Map<String, String>> targetUsers = ClusterUsers.snapshot(target, Users.PATTERN);
        assertThat(targetUsers.keySet()).isEqualTo(sourceUsers.keySet());
        assertThat(Users.wronglyMigrated(sourceUsers, targetUsers)).isZero();
        Set<String> otherFieldsDiffer = new TreeSet<>();
        sourceUsers.forEach((key, fields) -> {
            Map<String, String> expected = new TreeMap<>(fields);
            Map<String, String> actual = new TreeMap<>(targetUsers.get(key));
            expected.remove("created_at");
            actual.remove("created_at");
            if (!expected.equals(actual)) {
                otherFieldsDiffer.add(key);
            }
        });
        assertThat(otherFieldsDiffer).isEmpty();

        Map<String, String> sourceOthers = otherKeys(source.commands());
        Map<String, String> targetOthers = new HashMap<>();
        for (RedisCluster.Node master : target.masters()) {
            targetOthers.putAll(otherKeys(target.nodeCommands(master.port())));
        }
        Set<String> differ = new TreeSet<>();
        Set<String> keys = new TreeSet<>(sourceOthers.keySet());
        keys.addAll(targetOthers.keySet());
        for (String key : keys) {
            if (!String.valueOf(sourceOthers.get(key)).equals(String.valueOf(targetOthers.get(key)))) {
                differ.add(key + ": source " + sourceOthers.get(key) + ", target " + targetOthers.get(key));
            }
        }
        assertThat(differ).as("keys that differ, of " + sourceOthers.size()).isEmpty();
    }

    /** Every key but the users and this tool's own, as value and whether it expires within 2 s of the source's. */
    private static Map<String, String> otherKeys(RedisCommands<String, String> redis) {
        Map<String, String> keys = new HashMap<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.limit(1_000));
            for (String key : page.getKeys()) {
                if (key.startsWith(":app.models.User:")
                        || key.startsWith("redis-om-batch:")
                        || key.equals(APPLIED_FOR_REDIS_OM)) {
                    continue;
                }
                long ttl = redis.pttl(key);
                long sourceTtl = source.commands().pttl(key);
                keys.put(key, valueOf(redis, key) + (Math.abs(ttl - sourceTtl) <= 2_000 ? "" : " pttl " + ttl));
            }
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    private static String valueOf(RedisCommands<String, String> redis, String key) {
        String type = redis.type(key);
        return type + " "
                + switch (type) {
                    case "string" -> redis.get(key);
                    case "hash" -> new TreeMap<>(redis.hgetall(key)).toString();
                    case "set" -> new TreeSet<>(redis.smembers(key)).toString();
                    default -> "";
                };
    }

    private static Set<String> dataKeysOnTarget() {
        Set<String> keys = new TreeSet<>();
        for (RedisCluster.Node master : target.masters()) {
            for (String key : target.nodeCommands(master.port()).keys("*")) {
                if (!key.startsWith("redis-om-batch:")) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }
}
