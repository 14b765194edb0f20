package dev.redisombatch.batch.data;

import static dev.redisombatch.batch.support.TestBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.data.step.SkippedKeyLog;
import dev.redisombatch.batch.data.store.ChangedCounter;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.ClientShutdown;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.JarProcess.Finished;
import dev.redisombatch.batch.support.JobRepositoryQueries;
import dev.redisombatch.batch.support.JobRepositoryQueries.PartitionExecution;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Samples;
import dev.redisombatch.batch.support.Users;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tool promises on a live system, against real redis-server processes, with counts: application writes
 * racing the run are never lost (the conditional default), expiring keys stay gone, keys and values that are not UTF-8
 * or hold CR/LF are converted byte for byte or skipped and logged without forging lines, a stopped run of an older
 * generation is never resumed, edited code is refused, the changed count stays exact over several kill -9, and a dry
 * run writes nothing. The overwrite mode is run too, only to report the writes it loses (timing-dependent).
 */
class LiveSafetyIT {

    private static final String ID = DatetimeFieldsToTimestamps.ID;
    private static final String SPLIT_NAME = "20260101_000300_split_name";
    private static final String NORMALIZE_EMAILS = "20260101_000100_normalize_emails";
    private static final String ADD_EMAIL_DOMAIN = "20260101_000200_add_email_domain";
    private static final String POPULATE = "20260101_000400_populate_missing_created_at";
    /** The sample over Customer JSON documents: there are none here, so it applies having changed nothing. */
    private static final String RECORD = MigrationKind.DATA.recordKey(ID);

    private static final String SKIP_LOG = SkippedKeyLog.streamKey(ID);
    private static final String TOOL_PREFIX = "redis-om-batch:";
    /** What the migration writes: Python's str(float). */
    private static final Pattern CONVERTED = Pattern.compile("-?\\d+\\.\\d+");
    /** What it leaves alone as already numeric. */
    private static final Pattern NUMERIC = Pattern.compile("-?\\d+(\\.\\d+)?");

    private static final Path REPORT = Path.of("target", "live-safety-report.txt");

    private static final int WRITER_USERS = 200_000;
    private static final int OVERWRITE_RUNS = 3;
    private static final int EXPIRY_USERS = 100_000;
    private static final int EXPIRING = 12_000;
    private static final int KILL_USERS = 200_000;

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    private RedisClient client;
    /** Jar processes this test started, killed after it if a failure left one running. */
    private final List<JarProcess> jars = new ArrayList<>();

    @BeforeEach
    void freshServer() {
        redis.commands().flushall();
        client = RedisClient.create(redis.url());
        client.setDefaultTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void closeClient() throws InterruptedException {
        for (JarProcess process : jars) {
            if (process.isAlive()) {
                process.kill();
            }
        }
        ClientShutdown.of(client);
    }

    private JarProcess startJar(String... args) throws IOException {
        JarProcess process = JarProcess.start(work, args);
        jars.add(process);
        return process;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. Concurrent application writers
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void applicationWritesDuringTheRunAreNeverLost() throws Exception {
        long started = System.nanoTime();
        LiveRun live = migrateWhileTheAppWrites("conditional", work.resolve("repo"));
        Outcome outcome = live.outcome();
        report(
                "1 conditional: %,d users, %,d app writes (%,d during the run, %,d keys written, last write ISO for %,d),"
                        + " run %.1f s, exit %d; lost %d, other wrong %d, wrong name %d, unwritten wrong %d; record %s",
                live.users(),
                live.writes(),
                live.writesDuringRun(),
                live.last().size(),
                live.isoLast(),
                live.runMillis() / 1000.0,
                live.run().exitCode(),
                outcome.lost(),
                outcome.otherWrong(),
                outcome.wrongName(),
                outcome.unwrittenWrong(),
                counts(RECORD));

        assertThat(live.run().exitCode()).as(live.run().output()).isZero();
        assertThat(live.writesDuringRun())
                .as("the app kept writing during the run")
                .isGreaterThan(1_000);
        assertThat(outcome.lost())
                .as("keys whose final created_at is the conversion of an older value: " + outcome.examples())
                .isZero();
        assertThat(outcome.otherWrong())
                .as("keys whose final created_at is neither the app's last value nor its" + " conversion: "
                        + outcome.examples())
                .isZero();
        assertThat(outcome.wrongName())
                .as("keys whose name is not the app's last one")
                .isZero();
        assertThat(outcome.unwrittenWrong())
                .as("keys the app did not write, not converted right: " + outcome.examples())
                .isZero();

        // verify --check-data: what it would still change are exactly the keys still holding an ISO value, and
        // each of them is a key whose last app write was ISO (written after the run had passed it).
        Set<String> isoNow = new HashSet<>();
        live.after().forEach((key, values) -> {
            String createdAt = values.get(0);
            if (createdAt != null
                    && !createdAt.isBlank()
                    && !NUMERIC.matcher(createdAt.trim()).matches()) {
                isoNow.add(key);
            }
        });
        Set<String> lastWriteIso = new HashSet<>();
        live.last().forEach((key, history) -> {
            if (!NUMERIC.matcher(history.get(history.size() - 1)).matches()) {
                lastWriteIso.add(key);
            }
        });
        assertThat(lastWriteIso).containsAll(isoNow);
        InProcessRun verify = run(work.resolve("repo"), "verify", "--check-data");
        report(
                "1 verify --check-data: exit %d, %d keys still ISO (all last written ISO by the app): %s",
                verify.exitCode(), isoNow.size(), firstLine(verify.stdout(), ID + ": " + "\\d+ documents checked"));
        if (isoNow.isEmpty()) {
            assertThat(verify.exitCode()).as(verify.output()).isZero();
            assertThat(verify.output()).contains("none left to migrate");
        } else {
            assertThat(verify.exitCode()).as(verify.output()).isEqualTo(7);
            Matcher found = Pattern.compile(Pattern.quote(ID) + ": (\\d+) documents checked, (\\d+) would still"
                            + " change, (\\d+) rejected; e\\.g\\. \\[([^\\]]*)\\]")
                    .matcher(verify.stdout());
            assertThat(found.find()).as(verify.stdout()).isTrue();
            assertThat(Long.parseLong(found.group(1))).isEqualTo(live.users());
            assertThat(Long.parseLong(found.group(2))).isEqualTo(isoNow.size());
            assertThat(Long.parseLong(found.group(3))).isZero();
            List<String> examples =
                    Arrays.stream(found.group(4).split(", ")).map(String::strip).toList();
            assertThat(examples).isNotEmpty().allMatch(lastWriteIso::contains);
        }

        // The applied record: every read ends once as changed, unchanged, skipped or gone.
        Map<String, Long> record = counts(RECORD);
        long read = record.get("keys_read");
        long changed = record.get("changed");
        assertThat(read).isGreaterThanOrEqualTo(live.users());
        assertThat(changed).isPositive().isLessThanOrEqualTo(read);
        assertThat(record.get("unchanged")).isLessThanOrEqualTo(read);
        assertThat(record.get("skipped")).isLessThanOrEqualTo(read);
        assertThat(record.get("conflict")).isLessThanOrEqualTo(record.get("skipped"));
        assertThat(record.get("skipped"))
                .as("no bad data: every skip is a conflict")
                .isEqualTo(record.get("conflict"));
        assertThat(record.get("gone")).as("nothing was deleted").isZero();
        assertThat(record.get("reread")).as("no resume").isZero();
        assertThat(changed + record.get("unchanged") + record.get("skipped") + record.get("gone"))
                .isEqualTo(read);
        long unwrittenIso = live.before().entrySet().stream()
                .filter(entry -> !live.last().containsKey(entry.getKey()) && entry.getValue() != null)
                .count();
        assertThat(changed)
                .as("at least every unwritten ISO user was converted by the run")
                .isGreaterThanOrEqualTo(unwrittenIso);
        report("1 conditional total %.1f s", (System.nanoTime() - started) / 1e9);
    }

    /** Not a check: shows the same scenario loses writes without the conditional write. Timing decides how many. */
    @Test
    void overwriteModeCanLoseApplicationWrites() throws Exception {
        long started = System.nanoTime();
        List<Long> lost = new ArrayList<>();
        for (int attempt = 1; attempt <= OVERWRITE_RUNS; attempt++) {
            redis.commands().flushall();
            LiveRun live = migrateWhileTheAppWrites("overwrite", work.resolve("repo" + attempt));
            Outcome outcome = live.outcome();
            lost.add(outcome.lost());
            report(
                    "1 overwrite run %d: %,d users, %,d app writes (%,d during the run, %,d keys), run %.1f s, exit %d;"
                            + " LOST %d (final value = conversion of an older value), other wrong %d, wrong name %d,"
                            + " unwritten wrong %d; e.g. %s",
                    attempt,
                    live.users(),
                    live.writes(),
                    live.writesDuringRun(),
                    live.last().size(),
                    live.runMillis() / 1000.0,
                    live.run().exitCode(),
                    outcome.lost(),
                    outcome.otherWrong(),
                    outcome.wrongName(),
                    outcome.unwrittenWrong(),
                    outcome.examples());
            assertThat(live.run().exitCode()).as(live.run().output()).isZero();
            assertThat(outcome.unwrittenWrong()).isZero();
        }
        report("1 overwrite: lost writes per run %s (not asserted), %.1f s", lost, (System.nanoTime() - started) / 1e9);
    }

    private LiveRun migrateWhileTheAppWrites(String writeMode, Path repository) throws Exception {
        Users.load(redis, WRITER_USERS);
        List<String> keys = userKeys();
        Map<String, String> before = new HashMap<>();
        fields(keys, "created_at").forEach((key, values) -> before.put(key, values.get(0)));
        AppWriter[] writers = {new AppWriter(keys, 0, 101), new AppWriter(keys, 1, 202)};
        for (AppWriter writer : writers) {
            writer.start();
        }
        InProcessRun run;
        long writesAtStart;
        long writesAtEnd;
        long runMillis;
        try {
            waitFor(
                    "the app writers to get going",
                    Duration.ofSeconds(60),
                    () -> writers[0].writes.get() + writers[1].writes.get() >= 500);
            writesAtStart = writers[0].writes.get() + writers[1].writes.get();
            long runStarted = System.nanoTime();
            run = run(repository, "migrateData", "--write-mode=" + writeMode, "--progress.interval=1");
            runMillis = (System.nanoTime() - runStarted) / 1_000_000;
            writesAtEnd = writers[0].writes.get() + writers[1].writes.get();
        } finally {
            for (AppWriter writer : writers) {
                writer.stop = true;
            }
            for (AppWriter writer : writers) {
                writer.join(60_000);
            }
        }
        for (AppWriter writer : writers) {
            if (writer.failure.get() != null) {
                throw new AssertionError("an app writer failed", writer.failure.get());
            }
        }
        Map<String, List<String>> last = new HashMap<>();
        Map<String, String> lastName = new HashMap<>();
        long isoLast = 0;
        for (AppWriter writer : writers) {
            last.putAll(writer.history);
            lastName.putAll(writer.lastName);
        }
        for (List<String> history : last.values()) {
            isoLast += NUMERIC.matcher(history.get(history.size() - 1)).matches() ? 0 : 1;
        }
        Map<String, List<String>> after = fields(keys, "created_at", "name");
        return new LiveRun(
                keys.size(),
                run,
                runMillis,
                writers[0].writes.get() + writers[1].writes.get(),
                writesAtEnd - writesAtStart,
                before,
                last,
                lastName,
                isoLast,
                after);
    }

    /** One application instance: HSETs created_at and name of random keys of its half, one at a time. */
    private final class AppWriter extends Thread {
        private final List<String> keys;
        private final int parity;
        private final SplittableRandom random;
        /** Every created_at this writer wrote, per key, in order: only this writer writes these keys. */
        final Map<String, List<String>> history = new HashMap<>();

        final Map<String, String> lastName = new HashMap<>();
        final AtomicLong writes = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean stop;

        AppWriter(List<String> keys, int parity, long seed) {
            super("app-writer-" + parity);
            this.keys = keys;
            this.parity = parity;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void run() {
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> app = connection.sync();
                int half = keys.size() / 2;
                while (!stop) {
                    String key = keys.get(2 * random.nextInt(half) + parity);
                    long seconds = 1_500_000_000L + random.nextLong(300_000_000L);
                    // Mostly the new app version (a float string), sometimes the old one (ISO).
                    String createdAt = random.nextInt(100) < 15
                            ? Instant.ofEpochSecond(seconds).toString()
                            : seconds + (random.nextInt(4) == 0 ? ".25" : ".0");
                    String name = "App Writer " + writes.get();
                    Map<String, String> fields = new LinkedHashMap<>();
                    fields.put("created_at", createdAt);
                    fields.put("name", name);
                    app.hset(key, fields);
                    history.computeIfAbsent(key, k -> new ArrayList<>(2)).add(createdAt);
                    lastName.put(key, name);
                    writes.incrementAndGet();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }
    }

    private record LiveRun(
            int users,
            InProcessRun run,
            long runMillis,
            long writes,
            long writesDuringRun,
            Map<String, String> before,
            Map<String, List<String>> last,
            Map<String, String> lastName,
            long isoLast,
            Map<String, List<String>> after) {

        Outcome outcome() {
            long lost = 0;
            long otherWrong = 0;
            long wrongName = 0;
            long unwrittenWrong = 0;
            List<String> examples = new ArrayList<>();
            for (var entry : after.entrySet()) {
                String key = entry.getKey();
                String finalValue = entry.getValue().get(0);
                List<String> history = last.get(key);
                if (history == null) {
                    if (!convertsTo(before.get(key), finalValue)) {
                        unwrittenWrong++;
                        example(examples, key + " unwritten: " + before.get(key) + " -> " + finalValue);
                    }
                    continue;
                }
                String lastValue = history.get(history.size() - 1);
                boolean right = lastValue.equals(finalValue)
                        || (!NUMERIC.matcher(lastValue).matches() && convertsTo(lastValue, finalValue));
                if (!right) {
                    List<String> older = new ArrayList<>(history.subList(0, history.size() - 1));
                    older.add(before.get(key));
                    boolean ofOlder = older.stream()
                            .anyMatch(value -> value != null
                                    && !NUMERIC.matcher(value).matches()
                                    && convertsTo(value, finalValue));
                    if (ofOlder) {
                        lost++;
                    } else {
                        otherWrong++;
                    }
                    example(
                            examples,
                            key + ": app wrote " + history + " (before " + before.get(key) + "), final " + finalValue);
                }
                if (!Objects.equals(lastName.get(key), entry.getValue().get(1))) {
                    wrongName++;
                }
            }
            return new Outcome(lost, otherWrong, wrongName, unwrittenWrong, examples);
        }

        private static void example(List<String> examples, String text) {
            if (examples.size() < 5) {
                examples.add(text);
            }
        }
    }

    private record Outcome(long lost, long otherWrong, long wrongName, long unwrittenWrong, List<String> examples) {}

    // ---------------------------------------------------------------------------------------------------------------
    // 2. Expiring keys
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void keysThatExpireDuringTheRunStayGone() throws Exception {
        Users.load(redis, EXPIRY_USERS);
        List<String> keys = userKeys();
        Map<String, String> before = new HashMap<>();
        fields(keys, "created_at").forEach((key, values) -> before.put(key, values.get(0)));
        long iso = before.values().stream().filter(Objects::nonNull).count();
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new Random(11));
        List<String> expiring = shuffled.subList(0, EXPIRING);
        Set<String> expiringSet = new HashSet<>(expiring);

        // Spread the PEXPIREs over the run by its progress (the exact changed count it keeps in Redis), not by time.
        AtomicLong latestExpiry = new AtomicLong();
        AtomicInteger duringRun = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        InProcessRun[] result = new InProcessRun[1];
        Thread migration = new Thread(
                () -> result[0] = run(work.resolve("repo"), "migrateData", "--progress.interval=1"), "migration");
        Thread expirer = new Thread(
                () -> {
                    try (StatefulRedisConnection<String, String> connection = client.connect()) {
                        connection.setAutoFlushCommands(false);
                        RedisAsyncCommands<String, String> async = connection.async();
                        SplittableRandom random = new SplittableRandom(5);
                        int batches = EXPIRING / 100;
                        for (int batch = 0; batch < batches; batch++) {
                            long due = (long) (0.9 * iso * batch / batches);
                            while (migration.isAlive() && changedSoFar() < due) {
                                Thread.sleep(2);
                            }
                            boolean running = migration.isAlive();
                            List<RedisFuture<Boolean>> replies = new ArrayList<>(100);
                            long ttlMax = 0;
                            for (String key : expiring.subList(batch * 100, batch * 100 + 100)) {
                                long ttl = 100 + random.nextLong(2_900);
                                ttlMax = Math.max(ttlMax, ttl);
                                replies.add(async.pexpire(key, ttl));
                            }
                            connection.flushCommands();
                            for (RedisFuture<Boolean> reply : replies) {
                                reply.get(60, TimeUnit.SECONDS);
                            }
                            // Every key of the batch expires at the latest ttlMax after its reply came back.
                            long bound = System.currentTimeMillis() + ttlMax;
                            latestExpiry.accumulateAndGet(bound, Math::max);
                            if (running) {
                                duringRun.addAndGet(100);
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                "expirer");
        long started = System.nanoTime();
        migration.start();
        expirer.start();
        migration.join(180_000);
        expirer.join(60_000);
        long runSeconds = (System.nanoTime() - started) / 1_000_000_000;
        assertThat(failure.get()).isNull();
        assertThat(result[0]).isNotNull();
        assertThat(result[0].exitCode()).as(result[0].output()).isZero();

        // Wait out the longest TTL set (not a guess at speed: the TTL itself).
        long wait = latestExpiry.get() + 50 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        long stillThere = 0;
        List<String> resurrected = new ArrayList<>();
        Map<String, Long> exists = existing(expiring);
        for (String key : expiring) {
            if (exists.get(key) > 0) {
                stillThere++;
                if (resurrected.size() < 5) {
                    resurrected.add(key + " " + redis.commands().hgetall(key) + " ttl "
                            + redis.commands().pttl(key));
                }
            }
        }
        List<String> kept =
                keys.stream().filter(key -> !expiringSet.contains(key)).toList();
        Map<String, List<String>> after = fields(kept, "created_at");
        long wrong = 0;
        for (String key : kept) {
            if (!convertsTo(before.get(key), after.get(key).get(0))) {
                wrong++;
            }
        }
        Map<String, Long> record = counts(RECORD);
        report(
                "2 expiry: %,d users, %,d given a TTL of 0.1-3 s (%,d while the run went), run %d s; after the longest"
                        + " TTL: %d of them exist %s; %d of the %,d others not converted; record %s",
                keys.size(),
                EXPIRING,
                duringRun.get(),
                runSeconds,
                stillThere,
                resurrected,
                wrong,
                kept.size(),
                record);

        assertThat(duringRun.get()).as("PEXPIREs sent while the run went").isGreaterThanOrEqualTo(EXPIRING / 2);
        assertThat(stillThere).as("expired keys brought back: " + resurrected).isZero();
        assertThat(userKeys()).as("no other user key appeared").hasSize(kept.size());
        assertThat(wrong).isZero();
        assertThat(record.get("changed") + record.get("unchanged") + record.get("skipped") + record.get("gone"))
                .isEqualTo(record.get("keys_read"));
        assertThat(record.get("skipped")).isZero();
    }

    private long changedSoFar() {
        return redis.commands().hvals(ChangedCounter.KEY_PREFIX + ID).stream()
                .mapToLong(Long::parseLong)
                .sum();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. Keys and values that are not UTF-8, or hold CR/LF
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void bytesThatAreNotTextAreConvertedOrSkippedExactlyAndForgeNoLogLine() throws Exception {
        Users.load(redis, 2_000);
        long normalIso = fields(userKeys(), "created_at").values().stream()
                .filter(v -> v.get(0) != null)
                .count();
        byte[] prefix = ascii(":app.models.User:");
        byte[] latin1Name = concat(ascii("Ren"), new byte[] {(byte) 0xe9});
        // key -> fields written; and what created_at must become
        Map<ByteBuffer, Map<String, byte[]>> converted = new LinkedHashMap<>();
        Map<ByteBuffer, String> expected = new HashMap<>();
        put(
                converted,
                expected,
                concat(prefix, new byte[] {(byte) 0xff, (byte) 0xfe}),
                "2024-01-15T10:30:00Z",
                latin1Name,
                "1705314600.0");
        put(
                converted,
                expected,
                concat(prefix, new byte[] {(byte) 0xc3, (byte) 0x28}),
                "2024-01-15",
                ascii("Ada Lovelace"),
                "1705276800.0");
        put(
                converted,
                expected,
                concat(prefix, ascii("lat"), new byte[] {(byte) 0xe9}, ascii("in1")),
                "2024-01-15T10:30:00+02:00",
                latin1Name,
                "1705307400.0");
        put(
                converted,
                expected,
                concat(prefix, ascii("crlf\r\nFORGED-KEY-LINE injected by a key name")),
                "2024-01-15T10:30:00Z",
                ascii("Carrie Return"),
                "1705314600.0");
        Map<ByteBuffer, Map<String, byte[]>> skipped = new LinkedHashMap<>();
        skipped.put(
                ByteBuffer.wrap(concat(prefix, ascii("bad"), new byte[] {(byte) 0xff, 0x01})),
                userFields(concat(ascii("2024-01-15"), new byte[] {(byte) 0xff}), ascii("Bad Bytes")));
        skipped.put(
                ByteBuffer.wrap(concat(prefix, ascii("crlf-value"))),
                userFields(ascii("yesterday\r\nFORGED-VALUE-LINE injected by a value"), ascii("Line Feed")));
        skipped.put(
                ByteBuffer.wrap(concat(prefix, ascii("both\nFORGED-BOTH-KEY-LINE\r"))),
                userFields(ascii("never\nFORGED-BOTH-VALUE-LINE"), ascii("Both Ways")));
        try (StatefulRedisConnection<byte[], byte[]> bytes = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> raw = bytes.sync();
            converted.forEach((key, fields) -> raw.hset(key.array(), encode(fields)));
            skipped.forEach((key, fields) -> raw.hset(key.array(), encode(fields)));

            InProcessRun dry = run(work.resolve("repo"), "migrateData", "--dry-run", "--partitions=1");
            InProcessRun real = run(work.resolve("repo"), "migrateData", "--partitions=1");
            InProcessRun verify = run(work.resolve("repo"), "verify", "--check-data");
            List<String> forged = new ArrayList<>();
            for (InProcessRun run : List.of(dry, real, verify)) {
                for (String line : run.output().split("\r\n|\r|\n")) {
                    if (line.stripLeading().startsWith("FORGED")) {
                        forged.add(line);
                    }
                }
            }
            Map<String, Long> record = counts(RECORD);
            List<StreamMessage<String, String>> log = redis.commands().xrange(SKIP_LOG, Range.create("-", "+"));
            List<String> loggedKeys =
                    log.stream().map(entry -> entry.getBody().get("key")).toList();
            report(
                    "3 bytes: dry exit %d, run exit %d, verify exit %d; record %s; skip log keys %s; forged lines %s;"
                            + " log lines naming the bad key: %s",
                    dry.exitCode(),
                    real.exitCode(),
                    verify.exitCode(),
                    record,
                    loggedKeys,
                    forged,
                    firstLine(real.output(), "skipped :app.models.User:bad"));

            assertThat(dry.exitCode()).as(dry.output()).isZero();
            assertThat(real.exitCode()).as(real.output()).isZero();
            assertThat(forged)
                    .as("lines starting with text put after a CR or LF in a key or value")
                    .isEmpty();
            assertThat(record.get("keys_read")).isEqualTo(2_000 + converted.size() + skipped.size());
            assertThat(record.get("skipped")).isEqualTo(skipped.size());
            assertThat(record.get("changed")).isEqualTo(normalIso + converted.size());
            assertThat(loggedKeys)
                    .containsExactlyInAnyOrder(
                            ":app.models.User:bad\\xff\\x01",
                            ":app.models.User:crlf-value",
                            ":app.models.User:both\\x0aFORGED-BOTH-KEY-LINE\\x0d");
            assertThat(log)
                    .allSatisfy(entry -> assertThat(
                                    entry.getBody().get("key") + entry.getBody().get("reason"))
                            .doesNotContain("\n")
                            .doesNotContain("\r"));
            String badReason = log.stream()
                    .filter(entry -> entry.getBody().get("key").contains("bad\\xff"))
                    .findFirst()
                    .orElseThrow()
                    .getBody()
                    .get("reason");
            assertThat(badReason).contains("not valid UTF-8");
            assertThat(real.output()).contains("skipped :app.models.User:bad\\xff\\x01: ");
            assertThat(verify.exitCode()).as(verify.output()).isEqualTo(7);
            assertThat(verify.output()).contains("0 would still change, 3 rejected");

            converted.forEach((key, fields) -> {
                Map<String, byte[]> stored = decodeFieldNames(raw.hgetall(key.array()));
                assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(fields.keySet());
                assertThat(new String(stored.get("created_at"), StandardCharsets.ISO_8859_1))
                        .as(KeyText.printable(key.array()))
                        .isEqualTo(expected.get(key));
                assertThat(stored.get("name")).isEqualTo(fields.get("name"));
                assertThat(stored.get("pk")).isEqualTo(fields.get("pk"));
            });
            skipped.forEach((key, fields) -> {
                Map<String, byte[]> stored = decodeFieldNames(raw.hgetall(key.array()));
                assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(fields.keySet());
                fields.forEach((field, value) ->
                        assertThat(stored.get(field)).as(field).isEqualTo(value));
            });
            // No key was written under another name (a key decoded with U+FFFD and written back would be one).
            List<byte[]> userKeys = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<byte[]> page = raw.scan(cursor, ScanArgs.Builder.limit(1000));
                page.getKeys().stream().filter(key -> startsWith(key, prefix)).forEach(userKeys::add);
                cursor = page;
            } while (!cursor.isFinished());
            assertThat(userKeys).hasSize(2_000 + converted.size() + skipped.size());
            assertThat(userKeys).noneMatch(key -> contains(key, new byte[] {(byte) 0xef, (byte) 0xbf, (byte) 0xbd}));

            // The value is shown escaped once, as the key is: byte 0xff as \xff. Escaped twice (\\xff) it would read
            // as a value holding a backslash and the letters xff.
            assertThat(badReason)
                    .as("the skip log's reason for the non-UTF-8 value")
                    .endsWith("2024-01-15\\xff")
                    .doesNotContain("\\\\xff");
            assertThat(firstLine(real.output(), "skipped :app.models.User:bad"))
                    .as("the log line")
                    .endsWith("2024-01-15\\xff")
                    .doesNotContain("\\\\xff");
        }
    }

    private static void put(
            Map<ByteBuffer, Map<String, byte[]>> documents,
            Map<ByteBuffer, String> expected,
            byte[] key,
            String createdAt,
            byte[] name,
            String converted) {
        documents.put(ByteBuffer.wrap(key), userFields(ascii(createdAt), name));
        expected.put(ByteBuffer.wrap(key), converted);
    }

    private static Map<String, byte[]> userFields(byte[] createdAt, byte[] name) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        fields.put("pk", ascii("not-a-ulid"));
        fields.put("created_at", createdAt);
        fields.put("name", name);
        return fields;
    }

    private static Map<byte[], byte[]> encode(Map<String, byte[]> fields) {
        Map<byte[], byte[]> encoded = new LinkedHashMap<>();
        fields.forEach((field, value) -> encoded.put(ascii(field), value));
        return encoded;
    }

    private static Map<String, byte[]> decodeFieldNames(Map<byte[], byte[]> stored) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        stored.forEach((field, value) -> fields.put(new String(field, StandardCharsets.UTF_8), value));
        return fields;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. Generations
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void aStoppedRunIsNotResumedAfterStampAndRollbackAndEveryDocumentEndsRight() throws Exception {
        int users = 30_000;
        Users.load(redis, users);
        List<String> keys = userKeys();
        Map<String, List<String>> original = fields(keys, "name", "email", "created_at");
        Path repository = work.resolve("repo");

        InProcessRun dependencies = samples(repository, "migrateData", "--limit=3");
        assertThat(dependencies.exitCode()).as(dependencies.output()).isZero();
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet()))
                .containsExactlyInAnyOrder(ID, NORMALIZE_EMAILS, ADD_EMAIL_DOMAIN);

        JarProcess slow = startJar(jarArgs(
                repository,
                "--job=migrateData",
                "--limit=1",
                "--migrations.jars=" + Samples.jar(),
                "--partitions=8",
                "--threads=1",
                "--chunk-size=100",
                "--scan-count=100",
                "--progress.interval=1"));
        waitForProgress(slow, SPLIT_NAME);
        slow.terminate();
        Finished stopped = slow.waitFor();
        long split = fields(keys, "first_name").values().stream()
                .filter(v -> v.get(0) != null)
                .count();
        report("4a: split_name stopped by SIGTERM: exit %d, %,d of %,d users split", stopped.exitCode(), split, users);
        assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(6);
        assertThat(split).as("stopped midway").isPositive().isLessThan(users);

        InProcessRun status = samples(repository, "status");
        Matcher unfinished = Pattern.compile(
                        "unfinished data run of " + SPLIT_NAME + " \\(apply, generation 0\\): execution (\\d+) STOPPED")
                .matcher(status.stdout());
        assertThat(unfinished.find()).as(status.output()).isTrue();
        String stoppedExecution = unfinished.group(1);
        assertThat(status.stdout()).contains("the same command resumes it");

        InProcessRun stamp = samples(repository, "stamp", "--migration=" + SPLIT_NAME);
        assertThat(stamp.exitCode()).as(stamp.output()).isZero();
        assertThat(redis.commands().hget(MigrationKind.DATA.recordKey(SPLIT_NAME), "how"))
                .isEqualTo("stamped");

        InProcessRun rollback = samples(repository, "rollback", "--migration=" + SPLIT_NAME);
        assertThat(rollback.exitCode()).as(rollback.output()).isZero();
        assertThat(rollback.output()).contains(SPLIT_NAME + ": rolled back");
        Map<String, List<String>> rolledBack = fields(keys, "name", "first_name", "last_name");
        long notRestored = keys.stream()
                .filter(key -> !Objects.equals(
                        rolledBack.get(key), Arrays.asList(original.get(key).get(0), null, null)))
                .count();
        assertThat(notRestored)
                .as("users not back to their single name after the rollback")
                .isZero();

        InProcessRun repair = samples(repository, "repair");
        assertThat(repair.exitCode()).as(repair.output()).isZero();
        assertThat(repair.stdout())
                .contains("unfinished data run of " + SPLIT_NAME + " (apply, generation 0):" + " execution "
                        + stoppedExecution + " STOPPED")
                .contains("cannot be resumed");

        InProcessRun again = samples(repository, "migrateData");
        report(
                "4a: after stamp and rollback, migrateData: exit %d; says '%s'",
                again.exitCode(), firstLine(again.output(), "not resuming execution"));
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output())
                .contains(SPLIT_NAME + ": not resuming execution " + stoppedExecution + " (STOPPED, generation 0)")
                .doesNotContain("resuming job instance");
        // No Customer documents here: their migration matched nothing and stays pending.
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet()))
                .containsExactlyInAnyOrder(ID, NORMALIZE_EMAILS, ADD_EMAIL_DOMAIN, SPLIT_NAME, POPULATE);
        Map<String, String> splitRecord = redis.commands().hgetall(MigrationKind.DATA.recordKey(SPLIT_NAME));
        assertThat(splitRecord)
                .containsEntry("how", "applied")
                .containsEntry("generation", "3")
                .containsEntry("changed", Integer.toString(users));

        Map<String, List<String>> end =
                fields(keys, "name", "first_name", "last_name", "email", "email_domain", "created_at");
        List<String> wrong = new ArrayList<>();
        for (String key : keys) {
            List<String> was = original.get(key);
            List<String> now = end.get(key);
            String[] words = was.get(0).strip().split("\\s+", 2);
            String email = was.get(1).strip().toLowerCase(Locale.ROOT);
            boolean right = now.get(0) == null
                    && words[0].equals(now.get(1))
                    && Objects.equals(words.length == 2 ? words[1] : null, now.get(2))
                    && email.equals(now.get(3))
                    && email.substring(email.indexOf('@') + 1).equals(now.get(4))
                    && (was.get(2) == null
                            ? now.get(5) != null
                                    && CONVERTED.matcher(now.get(5)).matches()
                            : convertsTo(was.get(2), now.get(5)));
            if (!right) {
                wrong.add(key + " " + was + " -> " + now);
            }
        }
        List<String> someWrong = wrong.subList(0, Math.min(5, wrong.size()));
        report("4a: %d of %,d documents not in their applied form %s", wrong.size(), users, someWrong);
        assertThat(wrong.size())
                .as("documents not in their applied form, e.g. " + someWrong)
                .isZero();
    }

    @Test
    void repairListsAnUnfinishedRunAndAbandonLeavesNone() throws Exception {
        int users = 20_000;
        Users.load(redis, users);
        List<String> keys = userKeys();
        Map<String, String> before = new HashMap<>();
        fields(keys, "created_at").forEach((key, values) -> before.put(key, values.get(0)));
        String bad = keys.get(keys.size() / 2);
        redis.commands().hset(bad, "created_at", "not a date");
        Path repository = work.resolve("repo");

        InProcessRun failed = run(repository, "migrateData", "--failure-mode=fail", "--partitions=4");
        assertThat(failed.exitCode()).as(failed.output()).isEqualTo(4);
        InProcessRun status = run(repository, "status");
        assertThat(status.stdout())
                .containsPattern(
                        "unfinished data run of " + ID + " \\(apply, generation 0\\):" + " execution \\d+ FAILED");

        InProcessRun repair = run(repository, "repair");
        assertThat(repair.exitCode()).as(repair.output()).isZero();
        assertThat(repair.stdout())
                .containsPattern(
                        "unfinished data run of " + ID + " \\(apply, generation 0\\):" + " execution \\d+ FAILED")
                .contains("1 unfinished run(s); --abandon marks them abandoned");

        InProcessRun abandon = run(repository, "repair", "--abandon");
        assertThat(abandon.exitCode()).as(abandon.output()).isZero();
        assertThat(abandon.stdout()).contains("1 run(s) marked abandoned: none of them will be resumed");

        InProcessRun after = run(repository, "status");
        assertThat(after.stdout()).doesNotContain("unfinished");
        assertThat(run(repository, "repair").stdout()).contains("no unfinished runs");

        redis.commands().hset(bad, "created_at", before.get(bad) == null ? "2024-01-15" : before.get(bad));
        if (before.get(bad) == null) {
            before.put(bad, "2024-01-15");
        }
        Matcher failedCounts = Pattern.compile(Pattern.quote(ID) + ": FAILED \\(execution \\d+\\): (\\d+) read")
                .matcher(failed.stdout());
        assertThat(failedCounts.find()).as(failed.stdout()).isTrue();
        long readByTheAbandoned = Long.parseLong(failedCounts.group(1));
        InProcessRun rerun = run(repository, "migrateData", "--partitions=4");
        assertThat(rerun.exitCode()).as(rerun.output()).isZero();
        assertThat(rerun.output()).doesNotContain("resuming job instance");
        List<PartitionExecution> all = JobRepositoryQueries.partitionExecutions("jdbc:h2:file:" + repository);
        long last = all.get(all.size() - 1).jobExecutionId();
        List<PartitionExecution> fresh = JobRepositoryQueries.ofJobExecution(all, last);
        Map<String, Long> record = counts(RECORD);
        long iso = before.values().stream().filter(Objects::nonNull).count();
        report(
                "4b: failed run (%,d read) listed by repair, abandoned; rerun: %d partitions, record %s (%,d users,"
                        + " %,d with ISO created_at)",
                readByTheAbandoned, fresh.size(), record, users, iso);
        assertThat(fresh).hasSize(4).allMatch(execution -> execution.status().equals("COMPLETED"));
        // The record sums the job instances of the generation, the abandoned one excluded: what it counts is the
        // rerun's, which read every key again, from the start.
        assertThat(record.get("keys_read"))
                .as("read by the rerun alone")
                .isGreaterThanOrEqualTo(users)
                .isLessThan(users + readByTheAbandoned);
        assertThat(record.get("changed")).as("exact over the generation").isEqualTo(iso);
        Map<String, List<String>> end = fields(keys, "created_at");
        assertThat(keys.stream()
                        .filter(key -> !convertsTo(before.get(key), end.get(key).get(0)))
                        .count())
                .isZero();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. Edited code
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void anAppliedMigrationEditedSinceIsRefusedUnlessAllowed() throws Exception {
        Users.load(redis, 5_000);
        Path repository = work.resolve("repo");
        InProcessRun applied = run(repository, "migrateData", "--datetime.zone=UTC");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        List<String> keys = userKeys();
        Map<String, List<String>> before = fields(keys, "created_at");

        InProcessRun refused = run(repository, "migrateData", "--datetime.zone=Europe/Paris");
        InProcessRun status = run(repository, "status", "--check", "--datetime.zone=Europe/Paris");
        InProcessRun allowed = run(repository, "migrateData", "--datetime.zone=Europe/Paris", "--allow-edited");
        report(
                "5 edited: refused exit %d ('%s'); status --check exit %d ('%s'); --allow-edited exit %d",
                refused.exitCode(),
                firstLine(refused.output(), "changed since they were applied"),
                status.exitCode(),
                firstLine(status.stdout(), "changed since it was applied"),
                allowed.exitCode());

        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(3);
        assertThat(refused.output()).contains(ID).contains("zone=UTC").contains("zone=Europe/Paris");
        assertThat(fields(keys, "created_at"))
                .as("nothing written by the refused run")
                .isEqualTo(before);
        assertThat(status.exitCode()).as(status.output()).isEqualTo(7);
        assertThat(status.stdout())
                .containsPattern("APPLIED +" + ID + " .*\\[code or configuration changed since it was applied\\]");
        assertThat(allowed.exitCode()).as(allowed.output()).isZero();
        assertThat(allowed.output()).contains("--allow-edited");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 6. kill -9 at several points
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void theChangedCountIsExactAfterThreeKills() throws Exception {
        long started = System.nanoTime();
        Users.load(redis, KILL_USERS);
        List<String> keys = userKeys();
        Map<String, String> before = new HashMap<>();
        fields(keys, "created_at").forEach((key, values) -> before.put(key, values.get(0)));
        long iso = before.values().stream()
                .filter(value -> value != null
                        && !value.isBlank()
                        && !NUMERIC.matcher(value.trim()).matches())
                .count();
        Path repository = work.resolve("repo");
        String[] args = jarArgs(repository, "--job=migrateData", "--progress.interval=1");

        double[] killAt = {0, 0.35, 0.65};
        List<Long> countedAtKill = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<String> timings = new ArrayList<>();
        timings.add(String.format(Locale.ROOT, "loaded %.1f s", (System.nanoTime() - started) / 1e9));
        for (double fraction : killAt) {
            long launched = System.nanoTime();
            JarProcess process = startJar(args);
            waitForProgress(process, ID);
            timings.add(String.format(Locale.ROOT, "progress after %.1f s", (System.nanoTime() - launched) / 1e9));
            long due = (long) (fraction * iso);
            waitFor(
                    "the run to convert " + due + " users",
                    Duration.ofSeconds(120),
                    () -> changedSoFar() >= due || !process.isAlive());
            assertThat(process.isAlive())
                    .as("still running at the kill:\n" + process.output())
                    .isTrue();
            process.kill();
            timings.add(String.format(Locale.ROOT, "killed after %.1f s", (System.nanoTime() - launched) / 1e9));
            countedAtKill.add(changedSoFar());
            outputs.add(process.output());
            assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), ID))
                    .isFalse();
        }
        // Then let it finish, here (the killed process's lock is taken over at once: its pid is gone from this host).
        long launched = System.nanoTime();
        InProcessRun last = run(repository, "migrateData", "--progress.interval=1");
        timings.add(String.format(Locale.ROOT, "last run %.1f s", (System.nanoTime() - launched) / 1e9));
        Map<String, Long> record = counts(RECORD);
        Map<String, List<String>> after = fields(keys, "created_at");
        long wrong = keys.stream()
                .filter(key -> !convertsTo(before.get(key), after.get(key).get(0)))
                .count();
        report(
                "6 kill -9: %,d users, %,d with ISO created_at; changed counted at the kills %s; final exit %d;"
                        + " record %s; %d not converted; %.1f s %s",
                keys.size(),
                iso,
                countedAtKill,
                last.exitCode(),
                record,
                wrong,
                (System.nanoTime() - started) / 1e9,
                timings);

        assertThat(last.exitCode()).as(last.output()).isZero();
        assertThat(countedAtKill).isSorted().doesNotHaveDuplicates();
        assertThat(countedAtKill.get(countedAtKill.size() - 1)).isLessThan(iso);
        assertThat(outputs.get(1)).contains("was left STARTED").contains("resuming job instance");
        assertThat(outputs.get(2)).contains("was left STARTED").contains("resuming job instance");
        assertThat(last.output()).contains("was left STARTED").contains("resuming job instance");
        assertThat(record.get("changed"))
                .as("changed, exactly the users that had an ISO created_at")
                .isEqualTo(iso);
        assertThat(record.get("changed") + record.get("unchanged") + record.get("skipped") + record.get("gone"))
                .as("every reading counted once, across the kills")
                .isEqualTo(record.get("keys_read"));
        assertThat(last.output())
                .as("the summary gives the record's counts")
                .containsPattern(ID + ": applied \\(execution \\d+\\): " + record.get("keys_read") + " read, " + iso
                        + " changed, " + record.get("unchanged") + " unchanged, ");
        assertThat(wrong).isZero();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 7. Dry run writes nothing
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void aDryRunWritesNothingAtAll() throws Exception {
        Users.load(redis, 10_000);
        List<String> keys = userKeys();
        for (int i = 0; i < 20; i++) {
            redis.commands().hset(keys.get(i * 97), "created_at", "yesterday");
            redis.commands().hset(keys.get(i * 97 + 13), "email", "no-at-sign");
        }
        Path repository = work.resolve("repo");

        Map<ByteBuffer, ByteBuffer> pristine = dumpAll();
        long size = redis.commands().dbsize();
        InProcessRun dry = samples(repository, "migrateData", "--dry-run", "--partitions=1");
        Map<ByteBuffer, ByteBuffer> afterDry = dumpAll();
        assertThat(dry.exitCode()).as(dry.output()).isZero();
        assertThat(dry.output()).contains("would change");
        Matcher skips = Pattern.compile(
                        Pattern.quote(ID) + ": dry run complete \\(execution \\d+\\): .* (\\d+)" + " skipped")
                .matcher(dry.stdout());
        assertThat(skips.find()).as(dry.stdout()).isTrue();
        assertThat(Long.parseLong(skips.group(1))).isEqualTo(20);
        assertThat(redis.commands().dbsize()).isEqualTo(size);
        assertThat(differing(pristine, afterDry)).isZero();
        assertThat(afterDry.keySet()).isEqualTo(pristine.keySet());
        assertThat(toolKeys()).isEmpty();

        // The tool's own keys present (an applied record, the skip log, the generations): a dry run of the rest
        // leaves them alone too.
        InProcessRun first = samples(repository, "migrateData", "--limit=1", "--partitions=1");
        assertThat(first.exitCode()).as(first.output()).isZero();
        List<String> toolKeys = toolKeys();
        assertThat(toolKeys).contains(RECORD, SKIP_LOG);
        Map<ByteBuffer, ByteBuffer> withTool = dumpAll();
        long sizeWithTool = redis.commands().dbsize();
        InProcessRun dryRest = samples(repository, "migrateData", "--dry-run", "--partitions=1");
        Map<ByteBuffer, ByteBuffer> afterDryRest = dumpAll();
        report(
                "7 dry run: %,d keys, %d changed dumps, DBSIZE %d -> %d; then with tool keys %s: %d changed dumps,"
                        + " DBSIZE %d -> %d",
                pristine.size(),
                differing(pristine, afterDry),
                size,
                size,
                toolKeys,
                differing(withTool, afterDryRest),
                sizeWithTool,
                redis.commands().dbsize());
        assertThat(dryRest.exitCode()).as(dryRest.output()).isZero();
        assertThat(dryRest.stdout()).containsPattern(NORMALIZE_EMAILS + ": dry run complete .* 20 skipped");
        assertThat(redis.commands().dbsize()).isEqualTo(sizeWithTool);
        assertThat(afterDryRest.keySet()).isEqualTo(withTool.keySet());
        assertThat(differing(withTool, afterDryRest)).isZero();
        assertThat(toolKeys()).isEqualTo(toolKeys);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers
    // ---------------------------------------------------------------------------------------------------------------

    private InProcessRun run(Path repository, String job, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=" + job,
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + repository,
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at"));
        args.addAll(List.of(extra));
        return InProcessRun.of(args.toArray(String[]::new));
    }

    private InProcessRun samples(Path repository, String job, String... extra) {
        List<String> args = new ArrayList<>(List.of("--migrations.jars=" + Samples.jar()));
        args.addAll(List.of(extra));
        return run(repository, job, args.toArray(String[]::new));
    }

    private String[] jarArgs(Path repository, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + repository,
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static void waitForProgress(JarProcess process, String migration) throws Exception {
        Pattern progress =
                Pattern.compile("(?s).*" + Pattern.quote(migration) + ": [\\d.]+% walked, [1-9][\\d,]*" + " read.*");
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            if (progress.matcher(process.output()).matches()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no progress of " + migration + ":\n" + process.output());
    }

    private static void waitFor(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Every user key, by SCAN. */
    private List<String> userKeys() {
        RedisCommands<String, String> commands = redis.commands();
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = commands.scan(
                    cursor, ScanArgs.Builder.matches(Users.PATTERN).limit(1000));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        Collections.sort(keys);
        return keys;
    }

    /** HMGET of {@code fields} for every key, pipelined; absent fields as null. */
    private Map<String, List<String>> fields(List<String> keys, String... fields) throws Exception {
        Map<String, List<String>> values = new HashMap<>(keys.size() * 2);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> async = connection.async();
            for (int from = 0; from < keys.size(); from += 2_000) {
                List<String> batch = keys.subList(from, Math.min(keys.size(), from + 2_000));
                List<RedisFuture<List<KeyValue<String, String>>>> replies = new ArrayList<>(batch.size());
                for (String key : batch) {
                    replies.add(async.hmget(key, fields));
                }
                connection.flushCommands();
                for (int i = 0; i < batch.size(); i++) {
                    List<String> row = new ArrayList<>(fields.length);
                    for (KeyValue<String, String> value : replies.get(i).get(60, TimeUnit.SECONDS)) {
                        row.add(value.getValueOrElse(null));
                    }
                    values.put(batch.get(i), Collections.unmodifiableList(row));
                }
            }
        }
        return values;
    }

    private Map<String, Long> existing(List<String> keys) throws Exception {
        Map<String, Long> exists = new HashMap<>();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.setAutoFlushCommands(false);
            List<RedisFuture<Long>> replies = new ArrayList<>(keys.size());
            for (String key : keys) {
                replies.add(connection.async().exists(key));
            }
            connection.flushCommands();
            for (int i = 0; i < keys.size(); i++) {
                exists.put(keys.get(i), replies.get(i).get(60, TimeUnit.SECONDS));
            }
        }
        return exists;
    }

    /** DUMP of every key in the database, pipelined. */
    private Map<ByteBuffer, ByteBuffer> dumpAll() throws Exception {
        Map<ByteBuffer, ByteBuffer> dumps = new HashMap<>();
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            List<byte[]> keys = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<byte[]> page = connection.sync().scan(cursor, ScanArgs.Builder.limit(1000));
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            connection.setAutoFlushCommands(false);
            List<RedisFuture<byte[]>> replies = new ArrayList<>(keys.size());
            for (byte[] key : keys) {
                replies.add(connection.async().dump(key));
            }
            connection.flushCommands();
            for (int i = 0; i < keys.size(); i++) {
                byte[] dump = replies.get(i).get(60, TimeUnit.SECONDS);
                dumps.put(ByteBuffer.wrap(keys.get(i)), dump == null ? null : ByteBuffer.wrap(dump));
            }
        }
        return dumps;
    }

    private static long differing(Map<ByteBuffer, ByteBuffer> before, Map<ByteBuffer, ByteBuffer> after) {
        Set<ByteBuffer> all = new HashSet<>(before.keySet());
        all.addAll(after.keySet());
        return all.stream()
                .filter(key -> !Objects.equals(before.get(key), after.get(key)))
                .count();
    }

    private List<String> toolKeys() {
        List<String> keys = new ArrayList<>(redis.commands().keys(TOOL_PREFIX + "*"));
        Collections.sort(keys);
        return keys;
    }

    /** The counts of an applied record, as numbers. */
    private Map<String, Long> counts(String recordKey) {
        Map<String, String> record = redis.commands().hgetall(recordKey);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String field : List.of("keys_read", "changed", "unchanged", "skipped", "conflict", "gone", "reread")) {
            counts.put(field, record.containsKey(field) ? Long.parseLong(record.get(field)) : -1);
        }
        return counts;
    }

    /** Whether {@code migrated} is what the datetime migration must make of {@code original}. */
    static boolean convertsTo(String original, String migrated) {
        if (original == null
                || original.isBlank()
                || NUMERIC.matcher(original.trim()).matches()) {
            return Objects.equals(original, migrated);
        }
        return migrated != null
                && CONVERTED.matcher(migrated).matches()
                && new BigDecimal(migrated).compareTo(Users.expectedSeconds(original.trim())) == 0;
    }

    private static String firstLine(String output, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return output.lines()
                .filter(line -> pattern.matcher(line).find())
                .findFirst()
                .orElse("(none)");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean contains(byte[] bytes, byte[] needle) {
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static void report(String format, Object... args) throws IOException {
        String line = String.format(Locale.ROOT, format, args);
        System.out.println("[live-safety] " + line);
        Files.createDirectories(REPORT.toAbsolutePath().getParent());
        Files.writeString(
                REPORT,
                Instant.now() + " " + line + System.lineSeparator(),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
