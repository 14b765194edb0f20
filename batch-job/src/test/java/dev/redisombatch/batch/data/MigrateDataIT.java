package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.data.partition.ScanSlice;
import dev.redisombatch.batch.data.step.SkippedKeyLog;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JobRepositoryQueries;
import dev.redisombatch.batch.support.JobRepositoryQueries.PartitionExecution;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import io.lettuce.core.CopyArgs;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --job=migrateData} end to end, in this JVM, against a real redis-server and a file H2 job repository. */
class MigrateDataIT {

    private static final String ID = DatetimeFieldsToTimestamps.ID;
    private static final int USERS = 20_000;

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    @BeforeEach
    void freshData() {
        redis.commands().flushall();
        Users.load(redis, USERS);
    }

    private String repositoryUrl() {
        return "jdbc:h2:file:" + work.resolve("repo");
    }

    private InProcessRun migrate(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=" + repositoryUrl(),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at",
                "--progress.interval=1"));
        args.addAll(Arrays.asList(extra));
        return InProcessRun.of(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 4, 16})
    void convertsEveryUserAndNothingElse(int partitions) throws Exception {
        redis.commands().hset(":app.models.Order:1", Map.of("created_at", "2024-01-15T10:30:00Z"));
        redis.commands().set(":app.models.User:index:hash", "2024-01-15");
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);

        InProcessRun run = migrate("--partitions=" + partitions, "--threads=2", "--chunk-size=500", "--scan-count=500");

        assertThat(run.exitCode()).isZero();
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        assertThat(redis.commands().hget(":app.models.Order:1", "created_at")).isEqualTo("2024-01-15T10:30:00Z");
        assertThat(redis.commands().get(":app.models.User:index:hash")).isEqualTo("2024-01-15");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).containsExactly(ID);
        Map<String, String> record = redis.commands().hgetall(MigrationKind.DATA.recordKey(ID));
        assertThat(Long.parseLong(record.get("keys_read"))).isGreaterThanOrEqualTo(USERS);
        assertThat(record.get("partitions")).isEqualTo(Integer.toString(partitions));
        List<PartitionExecution> executions = JobRepositoryQueries.partitionExecutions(repositoryUrl());
        assertThat(executions)
                .hasSize(partitions)
                .allMatch(execution -> execution.status().equals("COMPLETED"));

        InProcessRun again = migrate("--partitions=" + partitions);
        assertThat(again.exitCode()).isZero();
        assertThat(again.output()).contains("nothing pending");
    }

    /**
     * The last SCAN call of a slice runs into the next slice's buckets, and the slice passes over the keys it read
     * there: each user is read by one of the 16 partitions only, so {@code read} is the number of users, and a dry run
     * says exactly how many the run then changes.
     */
    @ParameterizedTest(name = "{0} users")
    @ValueSource(ints = {USERS, 300_000})
    void sixteenPartitionsReadEachUserOnceAndADryRunCountsWhatTheRunChanges(int users) {
        if (users != USERS) {
            redis.commands().flushall();
            Users.load(redis, users);
        }
        long keys = redis.commands().dbsize();

        InProcessRun dryRun = migrate("--dry-run", "--partitions=16");
        InProcessRun run = migrate("--partitions=16");

        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
        assertThat(run.exitCode()).as(run.output()).isZero();
        Map<String, String> record = redis.commands().hgetall(MigrationKind.DATA.recordKey(ID));
        assertThat(record.get("partitions")).isEqualTo("16");
        assertThat(Long.parseLong(record.get("keys_read")))
                .as("each user read once")
                .isEqualTo(keys);
        long changed = Long.parseLong(record.get("changed"));
        assertThat(changed).isPositive();
        assertThat(dryRun.output()).contains(keys + " read, " + changed + " would change");
    }

    /**
     * A dry run writes nothing, not even the dataset token a run binds its checkpoints with, so on data no run has
     * marked nothing shows that the data is still the one an earlier dry run walked (a FLUSHALL and another load in
     * between, as here, is not seen otherwise): it walks every slice again, and counts the data there is now. Seen
     * before: a dry run resumed after a FLUSHALL counted 62,367 read on 50,000 keys.
     */
    @Test
    void aDryRunAfterAFailedOneWalksTheDataThereIsNowFromTheStart() {
        String bad = anyUserKey();
        redis.commands().hset(bad, "created_at", "not a date");
        String[] dryRun = {"--dry-run", "--partitions=16", "--chunk-size=200", "--scan-count=200", "--failure-mode=fail"
        };
        InProcessRun failed = migrate(dryRun);
        assertThat(failed.exitCode()).as(failed.output()).isEqualTo(4);
        assertThat(failed.output())
                .contains("then the same command walks every slice again (a dry run on data no run has marked is not"
                        + " resumed)")
                .doesNotContain("the same command resumes");

        redis.commands().flushall();
        int usersNow = USERS / 2;
        Users.load(redis, usersNow);
        InProcessRun again = migrate(dryRun);
        InProcessRun run = migrate("--partitions=16");

        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output())
                .contains("not resuming execution")
                .contains("it walked data no run had marked (a dry run writes no dataset token)")
                .doesNotContain("resuming job instance");
        assertThat(run.exitCode()).as(run.output()).isZero();
        long changed = Long.parseLong(redis.commands().hget(MigrationKind.DATA.recordKey(ID), "changed"));
        assertThat(changed).isPositive();
        assertThat(again.output()).contains(usersNow + " read, " + changed + " would change");
    }

    @Test
    void resumesOnlyTheFailedPartitionFromItsCheckpoint() throws Exception {
        String bad = anyUserKey();
        String goodValue = redis.commands().hget(bad, "created_at");
        redis.commands().hset(bad, "created_at", "not a date");
        int chunk = 200;
        int scanCount = 200;
        String[] options = {
            "--partitions=8", "--threads=2", "--chunk-size=" + chunk, "--scan-count=" + scanCount, "--failure-mode=fail"
        };

        InProcessRun failed = migrate(options);
        assertThat(failed.exitCode()).isEqualTo(4);
        assertThat(failed.output()).contains(bad).contains("not a date");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();
        // The summary adds up: the pages read but not finished when the run stopped are said (seen before: "803
        // read, 0 changed, 0 unchanged, 0 skipped").
        Matcher summary = Pattern.compile("FAILED \\(execution \\d+\\): (\\d+) read, (\\d+) changed, (\\d+) unchanged,"
                        + " (\\d+) skipped \\(\\d+ conflict\\), (\\d+) gone(?:, (\\d+) in pages left unfinished)?")
                .matcher(failed.output());
        assertThat(summary.find()).as(failed.output()).isTrue();
        long[] counts = new long[6];
        for (int i = 0; i < 6; i++) {
            counts[i] = summary.group(i + 1) == null ? 0 : Long.parseLong(summary.group(i + 1));
        }
        assertThat(counts[0]).isPositive().isEqualTo(counts[1] + counts[2] + counts[3] + counts[4] + counts[5]);
        assertThat(counts[5]).as("the page holding the bad key, at least").isPositive();

        redis.commands().hset(bad, "created_at", goodValue == null ? "2024-01-15" : goodValue);
        InProcessRun resumed = migrate(options);
        assertThat(resumed.exitCode()).isZero();
        assertThat(resumed.output()).contains("resuming job instance");

        List<PartitionExecution> all = JobRepositoryQueries.partitionExecutions(repositoryUrl());
        long firstExecution = all.get(0).jobExecutionId();
        List<PartitionExecution> first = JobRepositoryQueries.ofJobExecution(all, firstExecution);
        List<PartitionExecution> second =
                all.stream().filter(e -> e.jobExecutionId() != firstExecution).toList();
        assertThat(first).hasSize(8);
        // The partition that met the bad key failed; partitions running or starting after it fail too (a failure
        // under --failure-mode=fail stops the run), how many depends on timing.
        List<PartitionExecution> failedPartitions =
                first.stream().filter(e -> e.status().equals("FAILED")).toList();
        assertThat(failedPartitions).isNotEmpty();
        // Only the failed partitions run again; the completed ones are not re-read.
        assertThat(second)
                .extracting(PartitionExecution::name)
                .containsExactlyInAnyOrderElementsOf(
                        failedPartitions.stream().map(PartitionExecution::name).toList());
        assertThat(second).allMatch(execution -> execution.status().equals("COMPLETED"));
        // Each continues from its checkpoint: what both executions read of its slice exceeds the slice by at most the
        // page read again and the chunk that failed.
        for (PartitionExecution failedOne : failedPartitions) {
            PartitionExecution rerun = second.stream()
                    .filter(e -> e.name().equals(failedOne.name()))
                    .findFirst()
                    .orElseThrow();
            long sliceKeys = keysInSlice(rerun.name(), 8, scanCount);
            assertThat(failedOne.read() + rerun.read()).isLessThanOrEqualTo(sliceKeys + scanCount + chunk);
        }
        assertThat(failedPartitions).anyMatch(execution -> execution.read() > 0);
    }

    @Test
    void maxErrorsStopsTheRunAndSkippedKeysAreKept() {
        List<String> bad = Stream.generate(this::anyUserKey).distinct().limit(5).toList();
        bad.forEach(key -> redis.commands().hset(key, "created_at", "yesterday"));

        InProcessRun stopped = migrate("--partitions=4", "--max-errors=2");
        assertThat(stopped.exitCode()).isEqualTo(4);
        assertThat(stopped.output()).contains("max-errors");
        // Skips are logged with their checkpoint: those of the checkpoint the budget ran out in are not, and are
        // read again (and logged then) by the next run.
        assertThat(redis.commands().xlen(SkippedKeyLog.streamKey(ID))).isBetween(0L, 2L);
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();
        // The same command again is the same data run: what its earlier executions skipped counts, so it fails the
        // same way, however often it is retried (each used to skip two more, the third ended "applied").
        for (int retry = 0; retry < 4; retry++) {
            InProcessRun again = migrate("--partitions=4", "--max-errors=2");
            assertThat(again.exitCode()).as(again.output()).isEqualTo(4);
            assertThat(again.output()).contains("max-errors");
        }
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();
        assertThat(bad.stream()
                        .filter(key -> "yesterday".equals(redis.commands().hget(key, "created_at"))))
                .hasSize(5);

        InProcessRun finished = migrate("--partitions=4", "--max-errors=10");
        assertThat(finished.exitCode()).isZero();
        List<String> logged = redis.commands().xrange(SkippedKeyLog.streamKey(ID), Range.create("-", "+")).stream()
                .map(message -> message.getBody().get("key"))
                .toList();
        assertThat(logged).containsAll(bad);
        bad.forEach(key -> assertThat(redis.commands().hget(key, "created_at")).isEqualTo("yesterday"));
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).containsExactly(ID);
    }

    @Test
    void aMigrationThatMatchesNothingStaysPendingAndRunsOnceTheDataIsThere() {
        Map<String, Map<String, String>> users = Users.snapshot(redis, Users.PATTERN);
        redis.commands().flushall();

        long started = System.nanoTime();
        InProcessRun onEmpty = migrate();
        long firstRunMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(onEmpty.exitCode()).as(onEmpty.output()).isZero();
        assertThat(onEmpty.output()).contains(ID + ": left pending").contains("stays pending");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();

        Users.load(redis, USERS);
        started = System.nanoTime();
        InProcessRun loaded = migrate();
        long secondRunMillis = (System.nanoTime() - started) / 1_000_000;
        // The time the runs took, not the time from the first run's start: loading the users in between is not in it.
        assertThat(Long.parseLong(redis.commands().hget(MigrationKind.DATA.recordKey(ID), "duration_ms")))
                .isLessThanOrEqualTo(firstRunMillis + secondRunMillis);
        assertThat(loaded.exitCode()).as(loaded.output()).isZero();
        assertThat(loaded.output()).contains(ID + ": applied");
        assertThat(Users.wronglyMigrated(users, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).containsExactly(ID);
    }

    @Test
    void allowEmptyMarksAMigrationThatMatchesNothingApplied() {
        redis.commands().flushall();

        InProcessRun run = migrate("--allow-empty");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains(ID + ": applied").contains("matched no key at all");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).containsExactly(ID);
    }

    @Test
    void nothingPendingNeedsNoJobRepository() {
        assertThat(migrate().exitCode()).isZero();

        // Nothing listens on port 1: a run that opened the job repository would wait out the outage, then exit 1.
        InProcessRun again = InProcessRun.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:postgresql://127.0.0.1:1/unreachable",
                "--job-repository.outage-timeout=1s",
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at");

        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("nothing pending");
    }

    @Test
    void aPatternThatMatchesEverythingLeavesTheToolsOwnKeysAlone() {
        redis.commands().hset("redis-om-batch:not-a-document", Map.of("created_at", "2024-01-15T10:30:00Z"));

        InProcessRun run = InProcessRun.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=" + repositoryUrl(),
                "--datetime.keys=*",
                "--datetime.fields=created_at");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(redis.commands().hget("redis-om-batch:not-a-document", "created_at"))
                .isEqualTo("2024-01-15T10:30:00Z");
        assertThat(redis.commands().hget(MigrationKind.DATA.recordKey(ID), "skipped"))
                .isEqualTo("0");
    }

    @Test
    void rewalkConvertsWhatWasWrittenTheOldWaySinceTheMigrationWasApplied() {
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        assertThat(migrate().exitCode()).isZero();
        // An application pod not yet upgraded writes ISO dates again.
        List<String> stragglers = before.entrySet().stream()
                .filter(user -> user.getValue().get("created_at") != null)
                .limit(50)
                .map(Map.Entry::getKey)
                .toList();
        stragglers.forEach(
                key -> redis.commands().hset(key, "created_at", before.get(key).get("created_at")));
        assertThat(migrate().output()).contains("nothing pending");

        InProcessRun refused = migrate("--rewalk=20990101_000000_unknown");
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.output()).contains("--rewalk=20990101_000000_unknown: no such data migration");

        InProcessRun rewalk = migrate("--rewalk=" + ID);
        assertThat(rewalk.exitCode()).as(rewalk.output()).isZero();
        assertThat(rewalk.output()).contains(ID + ": walked again");
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        Map<String, String> record = redis.commands().hgetall(MigrationKind.DATA.recordKey(ID));
        assertThat(record)
                .containsEntry("rewalk_changed", "50")
                .containsEntry("generation", "1")
                .containsKeys("rewalked_at", "rewalked_by");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).containsExactly(ID);

        InProcessRun again = migrate("--rewalk=" + ID);
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(redis.commands().hget(MigrationKind.DATA.recordKey(ID), "rewalk_changed"))
                .isEqualTo("0");
    }

    @Test
    void theBuiltInConfiguredASecondTimeUnderAnIdOfItsOwn() {
        assertThat(migrate().exitCode()).isZero();
        for (int i = 0; i < 2_000; i++) {
            redis.commands().hset(":app.models.Order:" + i, Map.of("placed_at", "2024-01-15T10:30:00Z"));
        }
        String orders = "20261202_000000_order_dates";

        InProcessRun second = InProcessRun.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=" + repositoryUrl(),
                "--datetime.id=" + orders,
                "--datetime.keys=:app.models.Order:*",
                "--datetime.fields=placed_at");

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains(orders + ": applied").doesNotContain(ID + ": applied");
        assertThat(redis.commands().hget(":app.models.Order:7", "placed_at")).isEqualTo("1705314600.0");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).containsExactlyInAnyOrder(ID, orders);
        // Without any option both configurations are known from their records: nothing pending, nothing edited.
        InProcessRun status = InProcessRun.of(
                "--job=status", "--check", "--redis.url=" + redis.url(), "--job-repository.url=" + repositoryUrl());
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).containsPattern("APPLIED +" + ID).containsPattern("APPLIED +" + orders);
    }

    @Test
    void dryRunWritesNothing() {
        Map<String, Map<String, String>> before = Users.snapshot(redis, "*");

        InProcessRun run = migrate("--dry-run");

        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("would change").contains("e.g. :app.models.User:");
        assertThat(Users.snapshot(redis, "*")).isEqualTo(before);
        assertThat(redis.commands().exists(MigrationKind.DATA.appliedSet())).isZero();
    }

    @Test
    void aRestartedRedisMakesPartitionsRescanAndTheRunStillCompletes() throws Exception {
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);

        // The new server's new hash seed may move keys the first slice never saw into it.
        InProcessRun run = migrateDisturbedPastAThird(redis::restart);

        assertThat(run.exitCode()).isZero();
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        assertThat(run.output())
                .contains("walking this slice again from its start")
                .contains("Walking every slice again");
    }

    @Test
    void dataFlushedAndLoadedAgainDuringARunIsWalkedAgainBeforeTheMigrationIsApplied() throws Exception {
        Map<String, Map<String, String>> loaded = Users.snapshot(redis, Users.PATTERN);

        // Without a check, the slice that finished before the flush would count as walked. The same users are loaded
        // into database 1 beforehand and swapped in at once: loading them at the moment of the flush (20,000 HSETs,
        // even queued in one MULTI) took long enough on a busy machine for the run to finish first.
        loaded.keySet().forEach(key -> redis.commands().copy(key, key, CopyArgs.Builder.destinationDb(1)));
        InProcessRun run = migrateDisturbedPastAThird(() -> {
            redis.commands().multi();
            redis.commands().flushdb();
            redis.commands().swapdb(0, 1);
            redis.commands().exec();
        });

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("Walking every slice again");
        assertThat(Users.wronglyMigrated(loaded, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).containsExactly(ID);
    }

    @Test
    void writesRefusedForLackOfMemoryAreNeverSkippedAndTheRerunConvertsEveryUser() throws Exception {
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        InProcessRun[] result = new InProcessRun[1];
        Thread run = new Thread(() -> result[0] =
                migrate("--partitions=4", "--threads=2", "--chunk-size=50", "--scan-count=50", "--redis.retries=2"));
        run.start();
        waitUntilChanged((long) (0.2 * USERS));
        redis.commands().configSet("maxmemory", "1");
        try {
            run.join(180_000);
        } finally {
            redis.commands().configSet("maxmemory", "0");
        }

        assertThat(result[0].exitCode()).as(result[0].output()).isEqualTo(1);
        assertThat(result[0].output()).contains("OOM").contains("run the same command again to resume");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();
        assertThat(redis.commands().exists(SkippedKeyLog.streamKey(ID))).isZero();

        InProcessRun rerun = migrate("--partitions=4", "--threads=2", "--chunk-size=50", "--scan-count=50");
        assertThat(rerun.exitCode()).as(rerun.output()).isZero();
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        assertThat(redis.commands().hget(MigrationKind.DATA.recordKey(ID), "skipped"))
                .isEqualTo("0");
    }

    /** Something done to the server while a run goes on. */
    private interface Disturbance {
        void apply() throws Exception;
    }

    /**
     * A run of four slices on one thread, so that they go one after the other, disturbed once it has converted more
     * than a third of the users: by then the first slice has finished.
     */
    private InProcessRun migrateDisturbedPastAThird(Disturbance disturbance) throws Exception {
        InProcessRun[] result = new InProcessRun[1];
        Thread run = new Thread(
                () -> result[0] = migrate("--partitions=4", "--threads=1", "--chunk-size=50", "--scan-count=50"));
        run.start();
        waitUntilChanged((long) (0.35 * USERS));
        disturbance.apply();
        run.join(180_000);
        return result[0];
    }

    /**
     * Waits until the run has written {@code documents}, as its exact change counter says: one small HGETALL per poll,
     * so the poll keeps up with the run on a busy machine (reading a sample of documents did not).
     */
    private void waitUntilChanged(long documents) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            long changed = redis.commands().hvals("redis-om-batch:changed:001_datetime_fields_to_timestamps").stream()
                    .mapToLong(Long::parseLong)
                    .sum();
            if (changed >= documents) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the run did not change " + documents + " documents within 60 s");
    }

    private String anyUserKey() {
        String key;
        do {
            key = redis.commands().randomkey();
        } while (!key.startsWith(":app.models.User:") || redis.commands().hget(key, "created_at") == null);
        return key;
    }

    /** Keys SCAN returns for one slice, its last page's overshoot included, walked here with plain SCAN calls. */
    private long keysInSlice(String partitionName, int slices, int scanCount) {
        int index = Integer.parseInt(partitionName.substring(partitionName.lastIndexOf('s') + 1));
        ScanSlice slice = new ScanSlice(index, Integer.numberOfTrailingZeros(slices));
        String cursor = slice.startCursor();
        long keys = 0;
        do {
            var page = redis.commands()
                    .scan(
                            ScanCursor.of(cursor),
                            ScanArgs.Builder.matches(Users.PATTERN).limit(scanCount));
            keys += page.getKeys().size();
            cursor = page.getCursor();
        } while (slice.contains(cursor));
        return keys;
    }
}
