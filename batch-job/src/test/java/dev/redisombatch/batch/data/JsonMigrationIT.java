package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.data.step.SkippedKeyLog;
import dev.redisombatch.batch.data.store.ChangedCounter;
import dev.redisombatch.batch.redis.CommandName;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.ClientShutdown;
import dev.redisombatch.batch.support.Customers;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Samples;
import dev.redisombatch.batch.support.Users;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Data migrations of Redis OM {@code JsonModel} documents against a real RedisJSON ({@link RedisServer#withJson}:
 * ReJSON 1.x or RedisJSON 2.x; skipped, with the reason, when none is given). Each document is compared before and
 * after as parsed JSON, with Jackson, not with the tool's own JSON code.
 */
class JsonMigrationIT {

    private static final String ID = DatetimeFieldsToTimestamps.ID;
    private static final int CUSTOMERS = 200_000;
    private static final int HASHES = 1_000;

    @RegisterExtension
    static final RedisServer redis = RedisServer.withJson();

    @TempDir
    Path work;

    private final List<JarProcess> jars = new ArrayList<>();

    @BeforeEach
    void empty() {
        redis.commands().flushall();
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (JarProcess jar : jars) {
            if (jar.isAlive()) {
                jar.kill();
            }
        }
    }

    private List<String> builtIn(String job, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=" + job,
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Customers.PATTERN,
                "--datetime.fields=" + Customers.FIELDS));
        args.addAll(List.of(extra));
        return args;
    }

    private InProcessRun run(String job, String... extra) {
        return InProcessRun.of(builtIn(job, extra).toArray(String[]::new));
    }

    /** Customers that need a change: an ISO string at one of the paths, and not the invalid ones. */
    private static long needingChange(Map<String, String> before) {
        return before.values().stream()
                        .filter(json -> Customers.isoValues(json) > 0)
                        .count()
                - invalidWithIso(before);
    }

    private static long invalidWithIso(Map<String, String> before) {
        long count = 0;
        for (int i = 0; i < CUSTOMERS; i++) {
            if (Customers.invalid(i)
                    && before.containsKey(Customers.key(i))
                    && Customers.isoValues(before.get(Customers.key(i))) > 0) {
                count++;
            }
        }
        return count;
    }

    private static long invalid(int count) {
        return count / 500;
    }

    /** Documents not what the migration must make of them; the invalid ones must be exactly as they were. */
    private Map<String, Long> record() {
        Map<String, Long> counts = new HashMap<>();
        redis.commands().hgetall(MigrationKind.DATA.recordKey(ID)).forEach((field, value) -> {
            if (value.matches("\\d+")) {
                counts.put(field, Long.parseLong(value));
            }
        });
        return counts;
    }

    private Set<String> skippedKeys() {
        Set<String> keys = new TreeSet<>();
        redis.commands()
                .xrange(SkippedKeyLog.streamKey(ID), Range.create("-", "+"))
                .forEach(entry -> keys.add(entry.getBody().get("key")));
        return keys;
    }

    private long changedSoFar() {
        return redis.commands().hvals(ChangedCounter.KEY_PREFIX + ID).stream()
                .mapToLong(Long::parseLong)
                .sum();
    }

    private void loadHashes() {
        for (int i = 0; i < HASHES; i++) {
            redis.commands()
                    .hset(Customers.PREFIX + "h" + i, Map.of("created_at", "2024-01-15T10:30:00", "name", "hash " + i));
        }
    }

    @Test
    void aDocumentWithATwentyThousandElementArrayIsMigrated() {
        // Issue 19: taken one path at a time, the tool's own JSON work grew with the square of the array (about 280 s
        // of CPU for 20,000 elements). It is one pass now; JsonTest in migration-api bounds it at a size where the
        // square would take most of an hour.
        int size = 20_000;
        StringBuilder orders = new StringBuilder();
        for (int i = 0; i < size; i++) {
            orders.append(i == 0 ? "" : ",")
                    .append("{\"id\":")
                    .append(i)
                    .append(",\"created_at\":\"2024-01-15T10:30:00Z\"}");
        }
        String key = Customers.PREFIX + "big";
        redis.search("JSON.SET", key, ".", "{\"pk\":\"big\",\"orders\":[" + orders + "]}");

        InProcessRun run = run("migrateData");

        assertThat(run.exitCode()).isZero();
        JsonNode after = Customers.parse(
                redis.search("JSON.GET", key, "NOESCAPE", ".").get(0).toString());
        assertThat(after.get("orders")).hasSize(size);
        long converted = 0;
        for (int i = 0; i < size; i++) {
            JsonNode order = after.get("orders").get(i);
            if (order.get("id").asInt() == i
                    && order.get("created_at").isNumber()
                    && order.get("created_at").asDouble() == 1_705_314_600d) {
                converted++;
            }
        }
        assertThat(converted).isEqualTo(size);
        assertThat(redis.commands().hgetall(MigrationKind.DATA.recordKey(ID))).containsEntry("changed", "1");
    }

    @Test
    void theBuiltInConvertsEveryListedPathOfJsonDocumentsAndHashesAndNothingElse() {
        Customers.load(redis, CUSTOMERS);
        loadHashes();
        Map<String, String> before = Customers.snapshot(redis, CUSTOMERS);
        long needing = needingChange(before);

        InProcessRun verifyBefore = run("verify", "--check-data");
        InProcessRun migrated = run("migrateData");
        Map<String, String> after = Customers.snapshot(redis, CUSTOMERS);
        long wrong = Customers.wronglyMigrated(before, after, CUSTOMERS);
        long hashesConverted = 0;
        for (int i = 0; i < HASHES; i++) {
            String value = redis.commands().hget(Customers.PREFIX + "h" + i, "created_at");
            hashesConverted +=
                    new BigDecimal(value).compareTo(Users.expectedSeconds("2024-01-15T10:30:00")) == 0 ? 1 : 0;
        }
        Map<String, Long> record = record();
        InProcessRun verifyAfter = run("verify", "--check-data");
        InProcessRun again = run("migrateData");

        assertThat(verifyBefore.exitCode())
                .as("nothing applied yet: nothing to verify")
                .isZero();
        assertThat(migrated.exitCode()).as(migrated.output()).isZero();
        assertThat(wrong)
                .as("documents not exactly what the migration must make of them")
                .isZero();
        assertThat(hashesConverted)
                .as("hashes under the same pattern, converted as hashes")
                .isEqualTo(HASHES);
        assertThat(record.get("changed")).as("exact count of documents written").isEqualTo(needing + HASHES);
        assertThat(skippedKeys())
                .as("the invalid ones, in the skip log")
                .hasSize((int) invalid(CUSTOMERS))
                .allMatch(key -> Customers.invalid(Integer.parseInt(key.substring(key.length() - 8))));
        assertThat(record.get("skipped"))
                .as("counted by partitions: at least once")
                .isBetween(invalid(CUSTOMERS), invalid(CUSTOMERS) + 10);
        assertThat(verifyAfter.stdout())
                .contains((CUSTOMERS + HASHES) + " documents checked, 0 would still change, " + invalid(CUSTOMERS)
                        + " rejected");
        assertThat(again.exitCode()).isZero();
        assertThat(again.output()).contains("nothing pending");
    }

    @Test
    void killedWithSigkillThenRerunItResumesAndEndsRight() throws Exception {
        Customers.load(redis, CUSTOMERS);
        Map<String, String> before = Customers.snapshot(redis, CUSTOMERS);
        long needing = needingChange(before);
        JarProcess jar = JarProcess.start(
                work, builtIn("migrateData", "--progress.interval=1").toArray(String[]::new));
        jars.add(jar);
        long deadline = System.currentTimeMillis() + 180_000;
        while (changedSoFar() < needing / 3 && jar.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(2);
        }
        assertThat(jar.isAlive())
                .as("still running at the kill:\n" + jar.output())
                .isTrue();
        jar.kill();
        long atKill = changedSoFar();
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), ID))
                .isFalse();

        InProcessRun resumed = run("migrateData");
        Map<String, String> after = Customers.snapshot(redis, CUSTOMERS);

        assertThat(atKill).isBetween(needing / 3, needing - 1);
        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("resuming job instance");
        assertThat(Customers.wronglyMigrated(before, after, CUSTOMERS)).isZero();
        assertThat(record().get("changed")).as("exact, over the kill").isEqualTo(needing);
    }

    @Test
    void aDryRunWritesNothingAndVerifyCountsWhatIsLeft() {
        int count = 20_000;
        Customers.load(redis, count);
        Map<String, String> before = Customers.snapshot(redis, count);
        long needing = before.values().stream()
                        .filter(json -> Customers.isoValues(json) > 0)
                        .count()
                - IntStream.range(0, count)
                        .filter(Customers::invalid)
                        .filter(i -> Customers.isoValues(before.get(Customers.key(i))) > 0)
                        .count();

        // One partition: a single walk reads each key once, so the dry run's count is exact (several slices may read
        // a few keys twice at their edges, which only a real run's exact change counter sees through).
        InProcessRun dryRun = run("migrateData", "--dry-run", "--partitions=1");
        Map<String, String> afterDryRun = Customers.snapshot(redis, count);
        InProcessRun applied = run("migrateData");
        // Put back a few ISO values by hand, as an application still writing the old format would.
        for (int i = 0; i < 7; i++) {
            jsonSet(Customers.key(i * 3), ".created_at", "\"2020-01-01T00:00:00\"");
        }
        InProcessRun verify = run("verify", "--check-data");

        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();
        assertThat(afterDryRun).as("byte for byte, nothing written").isEqualTo(before);
        assertThat(dryRun.output()).contains(needing + " would change");
        assertThat(redis.commands().exists(ChangedCounter.KEY_PREFIX + ID)).isZero();
        assertThat(applied.exitCode()).isZero();
        assertThat(verify.exitCode()).isEqualTo(7);
        assertThat(verify.stdout())
                .contains(count + " documents checked, 7 would still change, " + invalid(count) + " rejected");
    }

    @Test
    void aJsonSampleMigrationAppliesAndRollsBackExactly() {
        int count = 20_000;
        Customers.load(redis, count);
        Map<String, String> before = Customers.snapshot(redis, count);
        long withZip = before.values().stream()
                .filter(json -> json.contains("\"zip\""))
                .count();
        // The user samples come along (one depends on the built-in, given here for user hashes): they find nothing.
        List<String> samples = List.of(
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--migrations.jars=" + Samples.jar(),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at");
        String id = "20260201_000100_rename_zip_to_postal_code";

        InProcessRun applied = InProcessRun.of(concat(samples, "--job=migrateData"));
        Map<String, String> migrated = Customers.snapshot(redis, count);
        long renamed = migrated.values().stream()
                .filter(json -> json.contains("\"postal_code\"") && !json.contains("\"zip\""))
                .count();
        InProcessRun rolledBack = InProcessRun.of(concat(samples, "--job=rollback", "--migration=" + id));
        Map<String, String> after = Customers.snapshot(redis, count);
        long restored = before.keySet().stream()
                .filter(key -> Customers.same(Customers.parse(before.get(key)), Customers.parse(after.get(key))))
                .count();

        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(withZip).isGreaterThan(count / 2);
        assertThat(renamed)
                .as("every document with a zip has a postal_code instead")
                .isEqualTo(withZip);
        assertThat(rolledBack.exitCode()).as(rolledBack.output()).isZero();
        assertThat(restored).as("every document as it was, as JSON").isEqualTo(count);
    }

    @Test
    void applicationWritesDuringTheRunAreNotLost() throws Exception {
        int count = 50_000;
        Customers.load(redis, count);
        Map<String, String> before = Customers.snapshot(redis, count);
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Integer> increments = new HashMap<>();
        Map<String, String> nicknames = new HashMap<>();
        long[] writes = {0};
        Thread application = new Thread(() -> {
            RedisClient client = RedisClient.create(redis.url());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> app = connection.sync();
                Random random = new Random(42);
                while (!stop.get()) {
                    String key = Customers.key(random.nextInt(count));
                    String nickname = "\"n" + writes[0] + "\"";
                    app.dispatch(
                            new CommandName("JSON.SET"),
                            new StatusOutput<>(StringCodec.UTF8),
                            new CommandArgs<>(StringCodec.UTF8)
                                    .addKey(key)
                                    .add(".nickname")
                                    .add(nickname));
                    app.dispatch(
                            new CommandName("JSON.NUMINCRBY"),
                            new StatusOutput<>(StringCodec.UTF8),
                            new CommandArgs<>(StringCodec.UTF8)
                                    .addKey(key)
                                    .add(".age")
                                    .add(1));
                    nicknames.put(key, nickname);
                    increments.merge(key, 1, Integer::sum);
                    writes[0]++;
                }
            } finally {
                ClientShutdown.of(client);
            }
        });
        application.start();
        InProcessRun migrated = run("migrateData", "--threads=2");
        stop.set(true);
        application.join();
        Map<String, String> after = Customers.snapshot(redis, count);

        long lost = 0;
        long notConverted = 0;
        for (int i = 0; i < count; i++) {
            String key = Customers.key(i);
            JsonNode now = Customers.parse(after.get(key));
            JsonNode then = Customers.parse(before.get(key));
            int bumps = increments.getOrDefault(key, 0);
            if (now.get("age").asInt() != then.get("age").asInt() + bumps
                    || nicknames.containsKey(key)
                            && !now.get("nickname").toString().equals(nicknames.get(key))) {
                lost++;
            }
            if (!Customers.invalid(i)
                    && !Customers.same(stripped(Customers.expected(before.get(key))), stripped(now))) {
                notConverted++;
            }
        }
        long conflicts = conflicts(migrated.output());

        assertThat(migrated.exitCode()).as(migrated.output()).isZero();
        assertThat(writes[0]).as("the application wrote during the run").isGreaterThan(1_000);
        assertThat(lost).as("application writes lost").isZero();
        assertThat(notConverted)
                .as("not converted: only documents skipped as conflicts")
                .isEqualTo(conflicts);
    }

    /** The document without the members the application changes, which the oracle cannot know. */
    private static JsonNode stripped(JsonNode document) {
        JsonNode copy = document.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) copy).remove(List.of("age", "nickname"));
        return copy;
    }

    private static long conflicts(String output) {
        Matcher matcher = Pattern.compile("\\((\\d+) conflict\\)").matcher(output);
        long last = 0;
        while (matcher.find()) {
            last = Long.parseLong(matcher.group(1));
        }
        return last;
    }

    private void jsonSet(String key, String path, String json) {
        redis.commands()
                .dispatch(
                        new CommandName("JSON.SET"),
                        new StatusOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8)
                                .addKey(key)
                                .add(path)
                                .add(json));
    }

    private static String[] concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
