package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.ClusterUsers;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.RedisCluster;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrateData --target.url}: every key of one server copied to a 3-master cluster, then the built-in datetime
 * migration applied there; the source only read.
 */
class CopyToAnotherRedisIT {

    private static final int USERS = 200_000;
    private static final int OTHER_KEYS = 6_000;
    /** Commands that do not change a server: all a copy may send its source. */
    private static final Set<String> READ_ONLY = Set.of(
            "scan",
            "dump",
            "pttl",
            "info",
            "dbsize",
            "hello",
            "client|setinfo",
            "client|setname",
            "command|info",
            "ping",
            "get",
            "exists",
            "type",
            "hgetall",
            // the fields a migration reads of a hash its DUMP does not give (one that expires, say)
            "hmget",
            // the applied sets, taken whole when the copy completes
            "smembers");

    @RegisterExtension
    static final RedisServer source = new RedisServer();

    @RegisterExtension
    static final RedisCluster target = new RedisCluster(3, 0);

    /** A single server as the target, for faults of the target's own (evictions, a flush, dropped connections). */
    @RegisterExtension
    static final RedisServer serverTarget = new RedisServer();

    @TempDir
    Path work;

    private static Map<String, Map<String, String>> usersBefore;
    private static Map<String, String> othersBefore;

    /** Once: the source is only read, which every test checks. */
    @BeforeAll
    static void load() {
        source.commands().flushall();
        Users.load(source, USERS);
        RedisCommands<String, String> redis = source.commands();
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
        usersBefore = Users.snapshot(source, Users.PATTERN);
    }

    @BeforeEach
    void emptyTarget() {
        target.flushAll();
        source.commands().configResetstat();
    }

    private List<String> copyArgs(String... extra) {
        return args("migrateData", extra);
    }

    /** {@code --job=job} from the source to the target, with the built-in over the users and {@code extra}. */
    private List<String> args(String job, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=" + job,
                "--redis.url=" + source.url(),
                "--target.url=" + target.clusterUrl(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at",
                "--partitions=8",
                "--threads=2"));
        args.addAll(List.of(extra));
        return args;
    }

    private InProcessRun status(String... extra) {
        return InProcessRun.of(args("status", extra).toArray(String[]::new));
    }

    private InProcessRun copy(String... extra) {
        return InProcessRun.of(copyArgs(extra).toArray(String[]::new));
    }

    @Test
    void theUsersAreConvertedOnTheWayEachReadOnceAndWrittenOnceWithExactCounts() {
        long iso = isoUsers();
        target.masters().forEach(master -> target.nodeCommands(master.port()).configResetstat());

        InProcessRun run = copy();

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("001_datetime_fields_to_timestamps: applied on the way, as the documents were copied (copy"
                        + " execution ")
                .contains(EXACT_COUNTS_PREFIX)
                .contains(exactCounts())
                .contains("1 data migration(s) known, 0 pending");
        assertThat(iso).isPositive().isLessThan(USERS);
        // Nothing walked the target after the copy: no document read there (a few HGETALLs of the copy's own mark);
        // each key restored once, a converted user as the migration made it, with no write after it (the only scripts
        // are the copy's bookkeeping, a few per master). Read before the checks below, which read the target
        // themselves. The users were read from their DUMP payloads: no HMGET on the source either.
        Map<String, Long> calls = new HashMap<>();
        target.masters()
                .forEach(master -> commandCalls(target.nodeCommands(master.port()))
                        .forEach((command, n) -> calls.merge(command, n, Long::sum)));
        assertThat(calls).doesNotContainKey("hmget");
        assertThat(calls.getOrDefault("hgetall", 0L)).isLessThan(10);
        assertThat(calls.getOrDefault("hset", 0L))
                .as("the copy's own records only")
                .isLessThan(100);
        assertThat(calls.get("restore")).isEqualTo((long) USERS + OTHER_KEYS);
        assertThat(calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L))
                .isLessThan(10L * target.masters().size());
        assertThat(commandCalls(source.commands())).doesNotContainKey("hmget");
        assertTargetHoldsTheMigratedCopy();
        assertSourceOnlyRead();
        Map<String, String> record =
                target.commands().hgetall("redis-om-batch:applied:001_datetime_fields_to_timestamps");
        assertThat(record)
                .containsEntry("how", "applied during the copy")
                .containsEntry("changed", Long.toString(iso))
                .containsEntry("keys_read", Long.toString(USERS));
        assertThat(target.commands().keys("redis-om-batch:changed:*"))
                .as("the conversion's change counters, dropped once recorded")
                .isEmpty();

        InProcessRun shown = status();
        assertThat(shown.exitCode()).as(shown.output()).isZero();
        assertThat(shown.output()).contains("applied during the copy at");
    }

    private static final String EXACT_COUNTS_PREFIX =
            "001_datetime_fields_to_timestamps: applied on the way, as the documents were copied (copy execution ";

    /** The users whose created_at the migration converts: ISO text, not a number. */
    private static long isoUsers() {
        return usersBefore.values().stream()
                .filter(user -> user.get("created_at") != null
                        && !user.get("created_at").matches("-?\\d+(\\.\\d+)?"))
                .count();
    }

    /** What a copy converting the users on the way counts, however it was interrupted and resumed. */
    private static String exactCounts() {
        long iso = isoUsers();
        return "): " + USERS + " read, " + iso + " changed, " + (USERS - iso) + " unchanged, 0 skipped (0 conflict), 0"
                + " gone";
    }

    @Test
    void aReshardOfTheTargetDuringTheCopyChangesNeitherTheDataNorTheCounts() throws Exception {
        JarProcess copying = JarProcess.start(work, copyArgs("--scan-count=200").toArray(String[]::new));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (targetKeys() < USERS / 5 && copying.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(copying.isAlive())
                .as("still copying at " + USERS / 5 + " keys")
                .isTrue();
        List<RedisCluster.Node> masters = target.masters();
        target.reshard(masters.get(0).nodeId(), masters.get(1).nodeId(), 2_000);
        JarProcess.Finished finished = copying.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isZero();
        assertThat(finished.output()).contains(EXACT_COUNTS_PREFIX).contains(exactCounts());
        assertTargetHoldsTheMigratedCopy();
    }

    /** Calls per command since the server's statistics were reset, from INFO commandstats. */
    private static Map<String, Long> commandCalls(RedisCommands<String, String> server) {
        Map<String, Long> calls = new HashMap<>();
        server.info("commandstats")
                .lines()
                .filter(line -> line.startsWith("cmdstat_"))
                .forEach(line -> {
                    String command = line.substring("cmdstat_".length(), line.indexOf(':'));
                    String count = line.substring(line.indexOf("calls=") + "calls=".length());
                    calls.put(command, Long.parseLong(count.substring(0, count.indexOf(','))));
                });
        return calls;
    }

    @Test
    void everyKeyIsCopiedTheUsersConvertedOnTheTargetAndTheSourceOnlyRead() {
        InProcessRun run = copy();

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("copy of 127.0.0.1:" + source.port())
                .contains(": complete; this execution read " + (USERS + OTHER_KEYS) + " keys and wrote "
                        + (USERS + OTHER_KEYS) + " ")
                .contains("the source did not change during the copy");
        assertTargetHoldsTheMigratedCopy();
        assertSourceOnlyRead();

        InProcessRun again = copy();
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("done earlier, not copied again").contains("nothing pending");
        assertTargetHoldsTheMigratedCopy();

        // verify compares the cluster with its source, reading the source only (TYPE, HGETALL and SMEMBERS besides the
        // copy's: a set kept as a hash table dumps in the order of each server's hash seed, so it is read as a set).
        source.commands().configResetstat();
        InProcessRun verify = InProcessRun.of(args("verify", "--check-data").toArray(String[]::new));
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output())
                .contains((USERS + OTHER_KEYS) + " source keys compared, " + (USERS + OTHER_KEYS) + " equal, 0 differ");
        assertThat(commandsCalledOnTheSource()).isSubsetOf(withReads("type", "hgetall", "smembers"));
    }

    private static Set<String> withReads(String... more) {
        Set<String> reads = new HashSet<>(READ_ONLY);
        reads.addAll(List.of(more));
        reads.add("config|resetstat");
        return reads;
    }

    @Test
    void aCopyKilledMidwayIsCompletedByTheSameCommand() throws Exception {
        killCopyAfter(USERS / 4);
        assertThat(targetKeys()).isLessThan(USERS + OTHER_KEYS);
        InProcessRun statusMidway = status("--check");

        InProcessRun resumed = copy();
        InProcessRun statusAfter = status();

        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("resuming execution");
        // The pages the killed process wrote after its last checkpoint are read, converted and counted once more.
        assertThat(resumed.output()).contains(EXACT_COUNTS_PREFIX).contains(exactCounts());
        assertThat(statusMidway.exitCode()).as(statusMidway.output()).isEqualTo(7);
        assertThat(statusMidway.output())
                .contains("COPY     of 127.0.0.1:" + source.port() + "/0, started at")
                .contains("not complete");
        assertThat(statusAfter.exitCode()).as(statusAfter.output()).isZero();
        assertThat(statusAfter.output()).contains("COPY     of 127.0.0.1:" + source.port() + "/0, completed at");
        assertTargetHoldsTheMigratedCopy();
        assertSourceOnlyRead();
    }

    @Test
    void aCopyKilledMidwayIsNotResumedFromASourceFlushedSince() throws Exception {
        killCopyAfter(USERS / 8);
        assertThat(target.commands().hget("redis-om-batch:copy", "completed_at"))
                .as("killed before the copy completed")
                .isNull();
        long copiedBefore = targetDataKeys();
        // A flush that leaves the source as it was, so the other tests find it unchanged: the keys go to database 1
        // and back. Neither SWAPDB notifies anything per key.
        source.commands().swapdb(0, 1);
        source.commands().swapdb(0, 1);

        InProcessRun refused = copy();

        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(7);
        assertThat(refused.output())
                .contains("127.0.0.1:" + source.port()
                        + "/0 was flushed (FLUSHALL, FLUSHDB or SWAPDB, in any of its databases) since its copy")
                .contains("the copy is not complete and cannot be resumed")
                .contains("flush the target and copy again");
        assertThat(targetDataKeys()).as("keys on the target").isEqualTo(copiedBefore);
        assertThat(target.commands().hget("redis-om-batch:copy", "completed_at"))
                .isNull();
        assertThat(status().output()).contains("not complete");
    }

    @Test
    void aCopyDuringWhichTheTargetEvictedKeysIsNotCompleted() {
        RedisCommands<String, String> target = serverTarget.commands();
        target.flushall();
        target.configSet("maxmemory", "16mb");
        target.configSet("maxmemory-policy", "allkeys-random");
        List<String> args = copyArgs();
        args.set(
                args.indexOf("--target.url=" + CopyToAnotherRedisIT.target.clusterUrl()),
                "--target.url=" + serverTarget.url());
        try {
            InProcessRun run = InProcessRun.of(args.toArray(String[]::new));

            assertThat(run.exitCode()).as(run.output()).isEqualTo(7);
            assertThat(run.output())
                    .contains("the target evicts keys once it holds maxmemory (16777216 bytes, maxmemory-policy"
                            + " allkeys-random)")
                    .containsPattern("127.0.0.1:" + serverTarget.port() + "/0 evicted [1-9]\\d* keys since its copy")
                    .contains("so the copy is not complete and cannot be resumed");
            assertThat(target.dbsize()).isLessThan(USERS + OTHER_KEYS);
            assertThat(target.hget("redis-om-batch:copy", "completed_at")).isNull();
        } finally {
            target.configSet("maxmemory", "0");
            target.flushall();
        }
    }

    /**
     * A target whose user may not write some of the keys (an ACL key pattern): the copy stops with exit 2 at the first
     * refused key, and says that what it copied before stays there (not "nothing was started"); once the user may,
     * the same command goes on and completes.
     */
    @Test
    void aTargetThatRefusesSomeKeysAfterOthersWereCopiedSaysWhatStaysAndTheSameCommandGoesOn() {
        RedisCommands<String, String> server = serverTarget.commands();
        server.flushall();
        server.aclSetuser(
                "copier",
                AclSetuserArgs.Builder.on()
                        .addPassword("copier-secret")
                        .keyPattern(Users.PATTERN)
                        .keyPattern("redis-om-batch:*")
                        .keyPattern("redis_om:*")
                        .allChannels()
                        .allCommands());
        List<String> args = copyArgs();
        args.set(
                args.indexOf("--target.url=" + target.clusterUrl()),
                "--target.url=redis://copier:copier-secret@127.0.0.1:" + serverTarget.port());
        try {
            InProcessRun refused = InProcessRun.of(args.toArray(String[]::new));

            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
            assertThat(refused.output())
                    .contains("the target refused to restore key other:")
                    .contains("NOPERM")
                    .contains("the keys copied before it stay on the target")
                    .contains("what was written stays, and it goes on from there")
                    .doesNotContain("nothing was started")
                    .doesNotContain("copier-secret");
            assertThat(server.keys(Users.PATTERN))
                    .as("users copied before the refusal")
                    .isNotEmpty();
            assertThat(server.keys("other:*")).isEmpty();

            server.aclSetuser("copier", AclSetuserArgs.Builder.allKeys());
            InProcessRun resumed = InProcessRun.of(args.toArray(String[]::new));

            assertThat(resumed.exitCode()).as(resumed.output()).isZero();
            assertThat(resumed.output()).contains(EXACT_COUNTS_PREFIX);
            assertThat(server.keys(Users.PATTERN)).hasSize(USERS);
            assertThat(server.keys("other:*")).hasSize(OTHER_KEYS);
        } finally {
            server.aclDeluser("copier");
            server.flushall();
        }
    }

    @Test
    void aTargetHoldingKeysOfItsOwnIsRefusedUnlessOverwriteIsGiven() {
        target.commands().set("someone-elses", "data");

        InProcessRun refused = copy();

        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(3);
        assertThat(refused.output()).contains("someone-elses").contains("--target.overwrite");
        assertThat(targetKeys()).isLessThan(20_000);

        InProcessRun overwriting = copy("--target.overwrite=true");
        assertThat(overwriting.exitCode()).as(overwriting.output()).isZero();
        assertThat(target.commands().get("someone-elses")).isEqualTo("data");
        assertTargetHoldsTheMigratedCopy();
    }

    @Test
    void withTargetCopyMigratedOnlyTheMigratedDocumentsAreCopied() {
        InProcessRun run = copy("--target.copy=migrated");
        InProcessRun verify =
                InProcessRun.of(args("verify", "--check-data=true").toArray(String[]::new));
        InProcessRun allNow = copy();
        // The built-in told to select other keys: an edited migration, let through, so that the copy's own check
        // speaks.
        List<String> otherSelection = copyArgs("--target.copy=migrated", "--allow-edited");
        otherSelection.set(otherSelection.indexOf("--datetime.keys=" + Users.PATTERN), "--datetime.keys=other:*");
        InProcessRun otherMigrations = InProcessRun.of(otherSelection.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("this execution read " + USERS + " keys and wrote " + USERS + " ");
        Map<String, Map<String, String>> users = ClusterUsers.snapshot(target, Users.PATTERN);
        assertThat(users).hasSize(usersBefore.size());
        assertThat(Users.wronglyMigrated(usersBefore, users)).isZero();
        assertThat(target.commands().exists(othersBefore.keySet().toArray(String[]::new)))
                .as("other keys copied")
                .isZero();
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).contains(USERS + " equal");
        assertThat(allNow.exitCode()).as(allNow.output()).isEqualTo(3);
        assertThat(allNow.output()).contains("made with --target.copy=migrated, not all");
        assertThat(otherMigrations.exitCode()).as(otherMigrations.output()).isEqualTo(3);
        assertThat(otherMigrations.output())
                .contains("that took the documents of " + Users.PATTERN + " ReJSON-RL, " + Users.PATTERN + " hash")
                .contains("this run's migrations select other:* ReJSON-RL, other:* hash");
        assertSourceOnlyRead();
    }

    @Test
    void theSourceAsItsOwnTargetIsAConfigurationError() {
        InProcessRun run = InProcessRun.of(
                "--job=migrateData",
                "--redis.url=" + source.url(),
                "--target.url=redis://localhost:" + source.port() + "/0",
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("--target.url names the source itself");
        assertSourceOnlyRead();
    }

    @Test
    void aTargetWithoutSearchIsRefusedBeforeAnyWriteWhenSchemaMigrationsAreToBeAppliedThere() throws IOException {
        serverTarget.commands().flushall();
        Path migrations = work.resolve("with-schema");
        Files.writeString(
                Files.createDirectories(migrations.resolve("schema-migrations"))
                        .resolve("20261203_000000_users_by_name.yaml"),
                "id: 20261203_000000_users_by_name\nindex: users-by-name\nnew:\n  on: HASH\n"
                        + "  prefixes: [\":app.models.User:\"]\n  fields:\n    - {name: name, type: TAG}\n");
        InProcessRun run = InProcessRun.of(withServerTarget(copyArgs("--migrations-dir=" + migrations)));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output())
                .contains("--migrations-dir: schema migration(s) [20261203_000000_users_by_name] are pending for the"
                        + " target ")
                .contains(":" + serverTarget.port() + "/0, and it has no search module");
        assertThat(serverTarget.commands().dbsize()).as("keys on the target").isZero();

        InProcessRun toCluster =
                InProcessRun.of(copyArgs("--migrations-dir=" + migrations).toArray(String[]::new));

        assertThat(toCluster.exitCode()).as(toCluster.output()).isEqualTo(2);
        assertThat(toCluster.output())
                .contains(", and it is a Redis Cluster, where open-source RediSearch indexes each shard on its own");
        assertThat(targetKeys()).as("keys on the cluster target").isZero();
        assertSourceOnlyRead();
    }

    @Test
    void jobsThatWouldActOnTheSourceRefuseTheTarget() {
        for (String job : List.of("rollback", "stamp", "repair", "migrateSchema")) {
            InProcessRun run = InProcessRun.of(
                    "--job=" + job,
                    "--redis.url=" + source.url(),
                    "--target.url=" + target.clusterUrl(),
                    "--migration=x",
                    "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"));
            assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
            assertThat(run.output()).contains("--target.url").contains("does not take it yet");
        }
        InProcessRun dryRun = copy("--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.output()).isEqualTo(2);
        assertThat(dryRun.output()).contains("--target.url").contains("drop --dry-run");
        assertSourceOnlyRead();
    }

    private long targetKeys() {
        long keys = 0;
        for (RedisCluster.Node master : target.masters()) {
            keys += target.nodeCommands(master.port()).dbsize();
        }
        return keys;
    }

    /** The copy's arguments with the single server as its target. */
    private String[] copyToServerArgs() {
        return withServerTarget(copyArgs());
    }

    /**
     * A copy to the single-server target that knows no migration (so makes none on the way), then the migration run
     * there as a run in place would, in a process of its own: the target's migrations after its copy.
     */
    private JarProcess copyThenMigrateTheTarget() throws Exception {
        JarProcess.Finished copied = plainCopyToServer().waitFor();
        assertThat(copied.exitCode()).as(copied.output()).isZero();
        return JarProcess.start(work, copyToServerArgs());
    }

    /** A copy to the single-server target that knows no migration, in a process of its own. */
    private JarProcess plainCopyToServer() throws Exception {
        List<String> plain = copyArgs();
        plain.removeIf(arg -> arg.startsWith("--datetime."));
        return JarProcess.start(work, withServerTarget(plain));
    }

    private String[] withServerTarget(List<String> args) {
        args.set(args.indexOf("--target.url=" + target.clusterUrl()), "--target.url=" + serverTarget.url());
        return args.toArray(String[]::new);
    }

    @Test
    void aTargetFlushedDuringTheCopyIsNotRecordedAsACompleteCopy() throws Exception {
        RedisCommands<String, String> server = serverTarget.commands();
        server.flushall();
        JarProcess copying = JarProcess.start(work, copyToServerArgs());
        awaitServerTargetKeys(copying, 20_000);
        server.flushall();
        JarProcess.Finished finished = copying.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isEqualTo(7);
        assertThat(finished.output())
                .contains("127.0.0.1:" + serverTarget.port() + "/0 was flushed or replaced, in whole or in part")
                .contains("so the copy is not complete and cannot be resumed")
                .doesNotContain("001_datetime_fields_to_timestamps: applied");
        assertThat(server.hget("redis-om-batch:copy", "completed_at")).isNull();
        server.flushall();
    }

    @Test
    void aTargetFlushedWhileItsMigrationsRunEndsWithExit7() throws Exception {
        serverTarget.commands().flushall();
        JarProcess copying = copyThenMigrateTheTarget();
        awaitOutput(copying, "1 data migration(s) known, 1 pending");
        serverTarget.commands().flushall();
        JarProcess.Finished finished = copying.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isEqualTo(7);
        assertThat(finished.output())
                .contains("copy of 127.0.0.1:" + source.port() + "/0 to 127.0.0.1:" + serverTarget.port()
                        + "/0: done earlier")
                .containsPattern(
                        "127.0.0.1:" + serverTarget.port() + "/0 (no longer holds the copy|was flushed or replaced)")
                .contains("what the migrations did there is not what they would do to the copy");
        serverTarget.commands().flushall();
    }

    @Test
    void aTargetBackFromAnOlderSaveWhileItsMigrationsRunIsFoundLostThenCopiedAndMigratedAgain() throws Exception {
        serverTarget.commands().flushall();
        JarProcess copying = plainCopyToServer();
        awaitServerTargetKeys(copying, 20_000);
        serverTarget.commands().save();
        JarProcess.Finished copied = copying.waitFor();
        assertThat(copied.exitCode()).as(copied.output()).isZero();
        JarProcess migrating = JarProcess.start(work, copyToServerArgs());
        awaitOutput(migrating, "1 data migration(s) known, 1 pending");
        serverTarget.crashAndRestartFromLastSave();
        JarProcess.Finished finished = migrating.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isEqualTo(7);
        assertThat(finished.output())
                .contains("127.0.0.1:" + serverTarget.port() + "/0 restarted or failed over while the migrations ran"
                        + " there");
        // The snapshot holds the copy's mark from before it completed: the same command copies every key again
        // (the target's processes changed; begun without the migration, it makes none on the way), takes the
        // source's applied sets (none: the migration ran on the target before the restart, over keys now gone), and
        // converts the users again there.
        InProcessRun again = InProcessRun.of(copyToServerArgs());
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output())
                .contains("complete; this execution read " + (USERS + OTHER_KEYS) + " keys")
                .contains("001_datetime_fields_to_timestamps: applied");
        InProcessRun compared = InProcessRun.of(withServerTarget(args("verify", "--check-data")));
        assertThat(compared.exitCode()).as(compared.output()).isZero();
        serverTarget.commands().flushall();
    }

    private static void awaitOutput(JarProcess run, String text) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!run.output().contains(text) && run.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(run.isAlive()).as("still running at \"" + text + "\"").isTrue();
    }

    @Test
    void aCopyWhoseTargetConnectionsAreKilledCompletesEveryKeyRight() throws Exception {
        RedisCommands<String, String> server = serverTarget.commands();
        server.flushall();
        JarProcess copying = JarProcess.start(work, copyToServerArgs());
        for (long atKeys = 20_000; atKeys <= 60_000; atKeys += 20_000) {
            awaitServerTargetKeys(copying, atKeys);
            server.clientKill(io.lettuce.core.KillArgs.Builder.typeNormal().skipme());
        }
        JarProcess.Finished finished = copying.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isZero();
        assertThat(finished.output()).contains("retry 1 of");
        InProcessRun compared = InProcessRun.of(withServerTarget(args("verify", "--check-data")));
        assertThat(compared.exitCode()).as(compared.output()).isZero();
        assertThat(compared.output())
                .contains((USERS + OTHER_KEYS) + " source keys compared, " + (USERS + OTHER_KEYS) + " equal, 0 differ");
        server.flushall();
    }

    @Test
    void aTargetThatCrashedAndCameBackFromAnOlderSaveIsCopiedAgainWhole() throws Exception {
        serverTarget.commands().flushall();
        JarProcess copying = JarProcess.start(work, copyToServerArgs());
        awaitServerTargetKeys(copying, 20_000);
        serverTarget.commands().save();
        awaitServerTargetKeys(copying, 60_000);
        // What it restored after the save is lost: the copy's checkpoints say otherwise.
        serverTarget.crashAndRestartFromLastSave();
        JarProcess.Finished crashed = copying.waitFor();

        assertThat(crashed.exitCode()).as(crashed.output()).isEqualTo(1);
        assertThat(crashed.output())
                .contains("127.0.0.1:" + serverTarget.port() + "/0 restarted or failed over during the copy")
                .doesNotContain("001_datetime_fields_to_timestamps: applied");

        InProcessRun again = InProcessRun.of(copyToServerArgs());
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output())
                .as("every key copied again, not only the slices the checkpoints left")
                .contains("complete; this execution read " + (USERS + OTHER_KEYS) + " keys");
        InProcessRun compared = InProcessRun.of(withServerTarget(args("verify", "--check-data")));
        assertThat(compared.exitCode()).as(compared.output()).isZero();
        serverTarget.commands().flushall();
    }

    private void awaitServerTargetKeys(JarProcess copying, long keys) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (serverTarget.commands().dbsize() < keys && copying.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(copying.isAlive())
                .as("the copy was still running at " + keys + " keys")
                .isTrue();
    }

    /** Starts a copy in a process of its own and kills it (kill -9) once the target holds {@code keys} keys. */
    private void killCopyAfter(long keys) throws Exception {
        JarProcess killed = JarProcess.start(work, copyArgs("--scan-count=200").toArray(String[]::new));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (targetKeys() < keys && killed.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(killed.isAlive())
                .as("the copy was still running when killed")
                .isTrue();
        killed.kill();
    }

    /** The target's keys but this tool's own (its lock, taken and released by each run, for one). */
    private long targetDataKeys() {
        long keys = 0;
        for (RedisCluster.Node master : target.masters()) {
            RedisCommands<String, String> node = target.nodeCommands(master.port());
            keys += node.dbsize() - node.keys("redis-om-batch:*").size();
        }
        return keys;
    }

    private void assertTargetHoldsTheMigratedCopy() {
        Map<String, Map<String, String>> users = ClusterUsers.snapshot(target, Users.PATTERN);
        assertThat(users).hasSize(usersBefore.size());
        assertThat(Users.wronglyMigrated(usersBefore, users)).isZero();
        RedisAdvancedClusterCommands<String, String> redis = target.commands();
        Set<String> wrong = new TreeSet<>();
        for (var other : othersBefore.entrySet()) {
            int i = Integer.parseInt(other.getKey().substring("other:".length()));
            String value = i % 3 == 1
                    ? String.join(",", new TreeSet<>(redis.smembers(other.getKey())))
                    : redis.get(other.getKey());
            long ttl = redis.pttl(other.getKey());
            long sourceTtl = source.commands().pttl(other.getKey());
            boolean ttlRight = i % 3 == 2 ? Math.abs(ttl - sourceTtl) <= 2_000 : ttl == -1;
            if (!other.getValue().equals(value) || !ttlRight) {
                wrong.add(other.getKey() + "=" + value + " pttl " + ttl);
            }
        }
        assertThat(wrong).as("other keys not copied as they are").isEmpty();
    }

    private static Set<String> commandsCalledOnTheSource() {
        Set<String> called = new HashSet<>();
        source.commands()
                .info("commandstats")
                .lines()
                .filter(line -> line.startsWith("cmdstat_"))
                .forEach(line -> called.add(line.substring("cmdstat_".length(), line.indexOf(':'))));
        return called;
    }

    private void assertSourceOnlyRead() {
        Set<String> called = commandsCalledOnTheSource();
        called.removeAll(READ_ONLY);
        called.remove("config|resetstat");
        assertThat(called).as("commands the source ran besides reads").isEmpty();
        assertThat(Users.snapshot(source, Users.PATTERN)).isEqualTo(usersBefore);
        assertThat(source.commands().dbsize()).isEqualTo((long) USERS + OTHER_KEYS);
    }
}
