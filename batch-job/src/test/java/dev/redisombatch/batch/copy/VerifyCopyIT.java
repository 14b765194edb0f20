package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.ServerPorts;
import dev.redisombatch.batch.support.Users;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify --check-data --target.url}: a copy made by {@code migrateData --target.url} with the built-in datetime
 * migration compared with its source, key by key, as the migration makes the users; then each kind of difference made
 * on purpose, on either side, counted as such.
 */
class VerifyCopyIT {

    private static final int USERS = 20_000;
    private static final int OTHER_KEYS = 400;
    private static final int KEYS = USERS + OTHER_KEYS;

    @RegisterExtension
    static final RedisServer source = new RedisServer();

    @RegisterExtension
    static final RedisServer target = new RedisServer();

    @TempDir
    Path work;

    /** A fresh source and its copy, migrated on the target, for each test (some change either side). */
    @BeforeEach
    void copy() {
        source.commands().flushall();
        target.commands().flushall();
        Users.load(source, USERS);
        RedisCommands<String, String> redis = source.commands();
        for (int i = 0; i < OTHER_KEYS; i++) {
            String key = "other:" + i;
            switch (i % 5) {
                case 0 -> redis.set(key, "value " + i);
                case 1 -> redis.sadd(key, "1", "2", String.valueOf(i));
                case 2 -> redis.zadd(key, 1.5, "a" + i, 2.5, "b" + i);
                case 3 -> redis.rpush(key, "x" + i, "y" + i, "z" + i);
                default -> redis.setex(key, 3_600 + i, "expiring " + i);
            }
        }
        redis.hset("plain:hash", "a", "1");
        redis.hset("plain:hash", "b", "2");
        InProcessRun copy = run("migrateData");
        assertThat(copy.exitCode()).as(copy.output()).isZero();
    }

    private InProcessRun run(String job, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=" + job,
                "--redis.url=" + source.url(),
                "--target.url=" + target.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at"));
        args.addAll(List.of(extra));
        return InProcessRun.of(args.toArray(String[]::new));
    }

    private InProcessRun verify(String... extra) {
        List<String> args = new ArrayList<>(List.of("--check-data"));
        args.addAll(List.of(extra));
        return run("verify", args.toArray(String[]::new));
    }

    @Test
    void aCopyEqualsItsSourceWhateverTheEncodingsOnTheTarget() {
        // Equal values in other encodings than the source's (DUMP payloads differ): a set of integers turned into a
        // hash table, a hash whose fields were written again in another order.
        RedisCommands<String, String> there = target.commands();
        there.sadd("other:1", "not a number");
        there.srem("other:1", "not a number");
        there.hdel("plain:hash", "a");
        there.hset("plain:hash", "a", "1");
        assertThat(there.dump("other:1")).isNotEqualTo(source.commands().dump("other:1"));
        assertThat(there.dump("plain:hash")).isNotEqualTo(source.commands().dump("plain:hash"));

        InProcessRun verify = verify("--format=json");

        assertThat(verify.exitCode()).as(verify.output()).isZero();
        String json = verify.stdout();
        assertThat(number(json, "compared")).isEqualTo(KEYS + 1);
        assertThat(number(json, "equal")).isEqualTo(KEYS + 1);
        assertThat(number(json, "missingOnTarget")).isZero();
        assertThat(number(json, "valueDiffers")).isZero();
        assertThat(number(json, "ttlDiffers")).isZero();
        assertThat(number(json, "extraOnTarget")).isZero();
        assertThat(json).contains("\"sampled\" : false");
    }

    @Test
    void eachDifferenceOnEitherSideIsCountedByItsKind() {
        RedisCommands<String, String> here = source.commands();
        RedisCommands<String, String> there = target.commands();
        List<String> users = userKeys(here, 2);
        there.hset(users.get(0), "created_at", "12345");
        here.hset(users.get(1), "created_at", "2001-02-03T04:05:06Z");
        there.set("other:0", "changed");
        there.expire("other:5", 100_000);
        there.del("other:10");
        there.set("only:on:the:target", "x");

        InProcessRun verify = verify();

        assertThat(verify.exitCode()).as(verify.output()).isEqualTo(7);
        assertThat(verify.output())
                .contains(KEYS + 1 + " source keys compared, " + (KEYS + 1 - 5) + " equal, 5 differ")
                .contains("1 missing on the target; e.g. [other:10]")
                .contains("3 with another value (or type) on the target")
                .contains("1 with another expiry on the target (by more than 2 s); e.g. [other:5]")
                .contains(
                        "1 key(s) only on the target (deleted on the source, or never there); e.g. [only:on:the:target]")
                .contains(users.get(0))
                .contains(users.get(1))
                .contains("verify: 1 problem(s)");
    }

    @Test
    void aSampleComparesThatManyKeysAndDoesNotLookForExtraOnes() {
        target.commands().set("only:on:the:target", "x");

        InProcessRun verify = verify("--sample=100", "--format=json");

        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(number(verify.stdout(), "compared")).isEqualTo(100);
        assertThat(number(verify.stdout(), "equal")).isEqualTo(100);
        assertThat(verify.stdout()).contains("\"extraOnTarget\" : null").contains("\"sampled\" : true");
    }

    @Test
    void withoutCheckDataOnlyTheTargetsChecksumsAreVerified() {
        target.commands().set("other:0", "changed");

        InProcessRun verify = run("verify");

        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output())
                .contains("001_datetime_fields_to_timestamps: checksum matches")
                .doesNotContain("source keys compared");
    }

    @Test
    void theSourceAsTargetOrAnUnreachableTargetIsAConfigurationError() throws Exception {
        InProcessRun itself = InProcessRun.of(
                "--job=verify",
                "--check-data",
                "--redis.url=" + source.url(),
                "--target.url=redis://localhost:" + source.port() + "/0",
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"));
        assertThat(itself.exitCode()).as(itself.output()).isEqualTo(2);
        assertThat(itself.output()).contains("--target.url names the source itself");

        InProcessRun unreachable = InProcessRun.of(
                "--job=verify",
                "--check-data",
                "--redis.url=" + source.url(),
                "--target.url=redis://127.0.0.1:" + ServerPorts.free(),
                "--redis.timeout=2",
                "--redis.retries=0",
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"));
        assertThat(unreachable.exitCode()).as(unreachable.output()).isEqualTo(2);
        assertThat(unreachable.output()).contains("--target.url: 127.0.0.1:");
    }

    /** Users whose created_at the migration converted: an ISO date on the source, a number on the target. */
    private static List<String> userKeys(RedisCommands<String, String> here, int count) {
        List<String> keys = new ArrayList<>();
        for (String key :
                here.scan(ScanArgs.Builder.matches(Users.PATTERN).limit(1000)).getKeys()) {
            String iso = here.hget(key, "created_at");
            String converted = target.commands().hget(key, "created_at");
            if (keys.size() < count && iso != null && iso.contains("T") && !iso.equals(converted)) {
                keys.add(key);
            }
        }
        assertThat(keys).hasSize(count);
        return keys;
    }

    private static long number(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\" : (\\d+)").matcher(json);
        assertThat(matcher.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
