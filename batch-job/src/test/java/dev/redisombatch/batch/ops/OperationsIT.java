package dev.redisombatch.batch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Samples;
import dev.redisombatch.batch.support.Users;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** status, verify, rollback, stamp and create, and the lock, against a real redis-server. */
class OperationsIT {

    private static final String DATETIME = DatetimeFieldsToTimestamps.ID;
    private static final String SPLIT_NAME = "20260101_000300_split_name";
    private static final String NORMALIZE_EMAILS = "20260101_000100_normalize_emails";

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    @BeforeEach
    void users() {
        redis.commands().flushall();
        Users.load(redis, 5_000);
    }

    private InProcessRun run(String job, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=" + job,
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at",
                "--migrations.jars=" + Samples.jar(),
                "--partitions=4"));
        args.addAll(List.of(extra));
        return InProcessRun.of(args.toArray(String[]::new));
    }

    @Test
    void statusListsPendingThenAppliedAndCheckGatesOnPending() throws Exception {
        InProcessRun pending = run("status", "--check", "--format=json");
        assertThat(pending.exitCode()).isEqualTo(7);
        JsonNode before = JsonMapper.builder().build().readTree(pending.stdout());
        assertThat(before.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(before.get("result").get("pending"))
                .as("the built-in and the five samples")
                .hasSize(6);

        assertThat(run("migrateData", "--limit=1").exitCode()).isZero();
        InProcessRun status = run("status", "--detailed");
        assertThat(status.exitCode()).isZero();
        assertThat(status.output())
                .containsPattern("APPLIED +" + DATETIME + "  applied at .*, 5.?[0-9]* read")
                .containsPattern("PENDING +" + SPLIT_NAME)
                .contains("down yes")
                .contains("5 pending");

        assertThat(run("migrateData").exitCode()).isZero();
        // There are no Customer documents: the sample migration of Customers matched nothing and stays pending.
        InProcessRun customersPending = run("status", "--check");
        assertThat(customersPending.exitCode()).isEqualTo(7);
        assertThat(customersPending.output())
                .containsPattern("PENDING +20260201_000100_rename_zip_to_postal_code")
                .contains("1 pending");

        assertThat(run("migrateData", "--allow-empty").exitCode()).isZero();
        InProcessRun done = run("status", "--check");
        assertThat(done.exitCode()).isZero();
        assertThat(done.output()).contains("nothing pending");
    }

    @Test
    void jsonOutputGivesTheFailureWhateverTheExitCode() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        InProcessRun badOption = InProcessRun.of("--job=status", "--format=json", "--nope=1");
        InProcessRun unreachable = InProcessRun.of(
                "--job=status", "--format=json", "--redis.url=redis://127.0.0.1:" + closedPort, "--redis.retries=0");
        InProcessRun refusedPlan = run("rollback", "--format=json", "--migration=" + SPLIT_NAME);

        for (InProcessRun[] expected : new InProcessRun[][] {{badOption}, {unreachable}, {refusedPlan}}) {
            InProcessRun failed = expected[0];
            JsonNode document = JsonMapper.builder().build().readTree(failed.stdout());
            assertThat(document.get("formatVersion").asInt()).isEqualTo(1);
            assertThat(document.get("failure").get("exitCode").asInt())
                    .as(failed.output())
                    .isEqualTo(failed.exitCode());
            assertThat(document.get("failure").get("message").asString()).isNotBlank();
        }
        assertThat(badOption.exitCode()).isEqualTo(2);
        assertThat(JsonMapper.builder()
                        .build()
                        .readTree(badOption.stdout())
                        .get("failure")
                        .get("kind")
                        .asString())
                .isEqualTo("configuration");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(refusedPlan.exitCode()).isEqualTo(3);
        assertThat(JsonMapper.builder()
                        .build()
                        .readTree(refusedPlan.stdout())
                        .get("job")
                        .asString())
                .isEqualTo("rollback");
    }

    @Test
    void statusShowsHowFarAFailedRunGot() {
        String bad = redis.commands().randomkey();
        redis.commands().hset(bad, "created_at", "not a date");
        assertThat(run("migrateData", "--failure-mode=fail").exitCode()).isEqualTo(4);

        InProcessRun status = run("status");
        assertThat(status.output())
                .containsPattern("FAILED +" + DATETIME)
                .containsPattern(
                        "unfinished data run of " + DATETIME + " \\(apply, generation 0\\): execution \\d+"
                                + " FAILED since .*, [0-3]/4 partitions complete, about \\d+% walked; the same command resumes it");
    }

    /** Seen before: "the same command resumes it" over data flushed and loaded again, which the next run walked anew. */
    @Test
    void statusDoesNotOfferToResumeARunOverDataNoLongerThere() {
        String bad = redis.commands().randomkey();
        redis.commands().hset(bad, "created_at", "not a date");
        assertThat(run("migrateData", "--failure-mode=fail").exitCode()).isEqualTo(4);
        Map<String, Map<String, String>> users = Users.snapshot(redis, Users.PATTERN);
        redis.commands().flushall();
        users.forEach((key, fields) -> redis.commands().hset(key, fields));

        InProcessRun status = run("status");

        assertThat(status.output())
                .containsPattern("unfinished data run of " + DATETIME + " \\(apply, generation 0\\): execution \\d+"
                        + " FAILED since .*; will not be resumed: .* no longer holds the data it walked")
                .doesNotContain("the same command resumes it");
        InProcessRun next = run("migrateData", "--failure-mode=skip");
        assertThat(next.output()).contains("not resuming execution").contains("walking every slice from the start");
        assertThat(next.exitCode()).as(next.output()).isZero();
    }

    /** Seen before: "FAILED (execution 1): 0 read", the failure having come before the first checkpoint. */
    @Test
    void theSummaryOfAFailedRunGivesWhatItRead() {
        List<String> keys = redis.commands().keys(Users.PATTERN);
        keys.forEach(key -> redis.commands().hset(key, "created_at", "not a date"));

        InProcessRun failed = run("migrateData", "--failure-mode=fail");

        assertThat(failed.exitCode()).as(failed.output()).isEqualTo(4);
        Matcher summary = Pattern.compile(Pattern.quote(DATETIME) + ": FAILED \\(execution \\d+\\): (\\d+) read")
                .matcher(failed.stdout());
        assertThat(summary.find()).as(failed.stdout()).isTrue();
        // Each partition reads its first pages (a checkpoint's worth) before the first document fails; SCAN's last
        // call of a slice runs into the next one, so a few keys count twice.
        assertThat(Long.parseLong(summary.group(1)))
                .as("read before the failure")
                .isGreaterThanOrEqualTo(keys.size());
    }

    /** The documented JSON: data and schema migrations, typed numbers, the record's counts, a stable shape. */
    @Test
    void statusAsJsonCoversDataAndSchemaMigrationsWithTypedNumbers() throws Exception {
        Path migrations = Files.createDirectories(work.resolve("migrations/schema-migrations"));
        Files.writeString(migrations.resolve("20261101_000000_users.yaml"), """
                id: 20261101_000000_users
                index: users
                new:
                  on: HASH
                  prefixes: [":app.models.User:"]
                  fields:
                    - {name: email, type: TAG}
                """);
        assertThat(run("migrateData", "--limit=1", "--migrations-dir=" + work.resolve("none"))
                        .exitCode())
                .isZero();

        InProcessRun status = run("status", "--format=json", "--migrations-dir=" + work.resolve("migrations"));

        assertThat(status.exitCode()).as(status.output()).isZero();
        JsonNode result = JsonMapper.builder().build().readTree(status.stdout()).get("result");
        assertThat(result.get("redis").asString()).isEqualTo("127.0.0.1:" + redis.port() + "/0");
        JsonNode datetime = result.get("data").get(0);
        assertThat(datetime.get("id").asString()).isEqualTo(DATETIME);
        assertThat(datetime.get("state").asString()).isEqualTo("applied");
        JsonNode counts = datetime.get("record").get("counts");
        assertThat(counts.get("read").isNumber()).isTrue();
        assertThat(counts.get("changed").asLong())
                .isEqualTo(counts.get("read").asLong()
                        - counts.get("unchanged").asLong()
                        - counts.get("skipped").asLong()
                        - counts.get("gone").asLong());
        assertThat(datetime.get("record").get("generation").asLong()).isEqualTo(1);
        assertThat(result.get("pending")).hasSize(5);
        JsonNode schema = result.get("schema");
        assertThat(schema.get("migrations")).hasSize(1);
        assertThat(schema.get("migrations").get(0).get("id").asString()).isEqualTo("20261101_000000_users");
        assertThat(schema.get("migrations").get(0).get("applied").asBoolean()).isFalse();
        assertThat(result.get("unfinished")).isEmpty();
    }

    @Test
    void rollbackRunsDownAndRestoresTheData() {
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        assertThat(run("migrateData").exitCode()).isZero();
        assertThat(Users.snapshot(redis, Users.PATTERN).values())
                .allSatisfy(user -> assertThat(user).doesNotContainKey("name").containsKey("first_name"));

        InProcessRun rollback = run("rollback", "--migration=" + SPLIT_NAME);

        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        assertThat(rollback.output()).contains(SPLIT_NAME + ": rolled back");
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), SPLIT_NAME))
                .isFalse();
        Map<String, Map<String, String>> after = Users.snapshot(redis, Users.PATTERN);
        before.forEach((key, user) -> assertThat(after.get(key))
                .containsEntry("name", user.get("name"))
                .doesNotContainKeys("first_name", "last_name"));

        assertThat(run("migrateData").exitCode()).isZero();
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), SPLIT_NAME))
                .isTrue();
    }

    @Test
    void rollbackIsRefusedWithoutDownOrWithAppliedDependantsOrWhenNotApplied() {
        assertThat(run("rollback", "--migration=" + SPLIT_NAME).exitCode()).isEqualTo(3);
        assertThat(run("migrateData").exitCode()).isZero();

        InProcessRun noDown = run("rollback", "--migration=" + NORMALIZE_EMAILS);
        assertThat(noDown.exitCode()).isEqualTo(3);
        assertThat(noDown.output()).contains("has no down transform");

        InProcessRun unknown = run("rollback", "--migration=nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("--migration=nope");
    }

    @Test
    void stampMarksAppliedWithoutRunning() {
        Map<String, Map<String, String>> before = Users.snapshot(redis, "*");

        InProcessRun stamp = run("stamp", "--migration=" + DATETIME);

        assertThat(stamp.exitCode()).isZero();
        assertThat(Users.snapshot(redis, Users.PATTERN)).isEqualTo(before);
        assertThat(redis.commands().hget(MigrationKind.DATA.recordKey(DATETIME), "how"))
                .isEqualTo("stamped");
        assertThat(run("stamp", "--all").exitCode()).isZero();
        assertThat(redis.commands().scard(MigrationKind.DATA.appliedSet())).isEqualTo(6);
        assertThat(run("migrateData").output()).contains("nothing pending");
    }

    @Test
    void verifyChecksDataAndChecksums() {
        assertThat(run("migrateData").exitCode()).isZero();
        InProcessRun clean = run("verify", "--check-data");
        assertThat(clean.exitCode()).as(clean.output()).isZero();
        assertThat(clean.output()).contains(DATETIME + ": checksum matches").contains("none left to migrate");

        redis.commands()
                .hset(
                        ":app.models.User:01ARZ3NDEKTSV4RRFFQ69G5FAV",
                        Map.of("name", "Late Comer", "email", "late@example.com", "created_at", "2024-01-15"));
        InProcessRun unclean = run("verify", "--check-data");
        assertThat(unclean.exitCode()).isEqualTo(7);
        assertThat(unclean.output())
                .contains(DATETIME + ": ")
                .contains("1 would still change")
                .contains(":app.models.User:01ARZ3NDEKTSV4RRFFQ69G5FAV");

        // The built-in's configuration is part of its checksum: another zone is another migration.
        InProcessRun changed = run("verify", "--datetime.zone=Europe/Paris");
        assertThat(changed.exitCode()).isEqualTo(7);
        assertThat(changed.output()).contains(DATETIME + ": its code or configuration changed");
    }

    @Test
    void verifyRebuildsTheBuiltInFromItsRecordWhenNotGivenTheOptions() {
        assertThat(run("migrateData").exitCode()).isZero();
        redis.commands().hset(":app.models.User:01ARZ3NDEKTSV4RRFFQ69G5FAV", "created_at", "2024-01-15");

        InProcessRun verify = InProcessRun.of(
                "--job=verify",
                "--check-data",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--migrations.jars=" + Samples.jar());

        assertThat(verify.exitCode()).isEqualTo(7);
        assertThat(verify.output())
                .contains(DATETIME + ": checksum matches")
                .contains(DATETIME + ": ")
                .contains("1 would still change");
        assertThat(redis.commands().hget(MigrationKind.DATA.recordKey(DATETIME), "config.zone"))
                .isEqualTo("UTC");
    }

    @Test
    void aHeldLockRefusesTheRunAndForceUnlockTakesItOver() {
        redis.commands().set(RunLease.KEY, "migrateData pid 1 on elsewhere");

        InProcessRun refused = run("migrateData");
        assertThat(refused.exitCode()).isEqualTo(5);
        assertThat(refused.output()).contains("another run holds the lock").contains("pid 1 on elsewhere");
        assertThat(redis.commands().exists(MigrationKind.DATA.appliedSet())).isZero();

        InProcessRun forced = run("migrateData", "--force-unlock");
        assertThat(forced.exitCode()).isZero();
        assertThat(forced.output()).contains("--force-unlock: removing the lock held by migrateData pid 1");
        assertThat(redis.commands().exists(RunLease.KEY)).isZero();
    }

    /**
     * Seen before: under CLIENT PAUSE WRITE the lock's take timed out, ran later, and the retry refused the run (exit
     * 5 after 55 s) naming the run's own pid. The pause is many times the client's timeout, so the take is held by it
     * however slowly the run starts.
     */
    @Test
    void aRunWhoseLockTakeTimedOutAndRanLaterProceeds() {
        // Users with a created_at: the sample migrations give one to those without.
        Map<String, Map<String, String>> before = new HashMap<>(Users.snapshot(redis, Users.PATTERN));
        before.values().removeIf(user -> !user.containsKey("created_at"));
        redis.pauseWrites(Duration.ofSeconds(20));

        InProcessRun run = run("migrateData", "--redis.timeout=1");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("take " + RunLease.KEY + " failed");
        assertThat(before).isNotEmpty();
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        assertThat(redis.commands().exists(RunLease.KEY))
                .as("released at the end")
                .isZero();
    }

    @Test
    void createWritesABuildableSkeleton() {
        InProcessRun created = run("create", "--name=normalize_phone_numbers", "--dir=" + work.resolve("mine"));

        assertThat(created.exitCode()).isZero();
        assertThat(work.resolve("mine/pom.xml")).exists();
        assertThat(created.output()).containsPattern("created \\d{8}_\\d{6}_normalize_phone_numbers");
        assertThat(Files.exists(work.resolve(
                        "mine/src/main/resources/META-INF/services/dev.redisombatch.migration.DataMigration")))
                .isTrue();
    }

    @Test
    void metricsArePushedToAPushgatewayTaggedByMigration() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer gateway =
                com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            bodies.add(exchange.getRequestURI() + "\n"
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        gateway.start();
        try {
            InProcessRun run = run(
                    "migrateData",
                    "--limit=1",
                    "--metrics.pushgateway=127.0.0.1:" + gateway.getAddress().getPort());
            assertThat(run.exitCode()).isZero();
        } finally {
            gateway.stop(0);
        }
        String last = bodies.get(bodies.size() - 1);
        assertThat(last)
                .startsWith("/metrics/job/redis-om-batch")
                .containsPattern("redis_om_batch_keys_read_total\\{migration=\"" + DATETIME + "\"} 5[0-9]{3}")
                .containsPattern("redis_om_batch_chunk_write_seconds_count\\{migration=\"" + DATETIME + "\"} [1-9]");
        // At least once: the 4,945 users with an ISO created_at, plus any key two partitions both converted.
        Matcher changed = Pattern.compile(
                        "redis_om_batch_documents_changed_total\\{migration=\"" + DATETIME + "\"} (\\d+)")
                .matcher(last);
        assertThat(changed.find()).isTrue();
        assertThat(Double.parseDouble(changed.group(1))).isGreaterThanOrEqualTo(4945);
    }
}
