package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.ClientShutdown;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.MigrationJars;
import dev.redisombatch.batch.support.PruningMigration;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Samples;
import dev.redisombatch.batch.support.Users;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations a copy makes on the way: the sample migrations' chain (the built-in, then emails normalised, a domain
 * added from them, names split, a missing creation time filled in, in dependency order) made on the documents as they
 * are copied must leave the target exactly as the same chain run in place leaves an identical server, with the same
 * counts, the same rejections, and the same set of applied ids.
 */
class CopyConversionIT {

    private static final int USERS = 5_000;

    @RegisterExtension
    static final RedisServer source = new RedisServer();

    @RegisterExtension
    static final RedisServer target = new RedisServer();

    /** The same users, migrated in place: what the target must hold. */
    @RegisterExtension
    static final RedisServer inPlace = new RedisServer();

    @TempDir
    Path work;

    @BeforeEach
    void users() {
        for (RedisServer server : List.of(source, target, inPlace)) {
            server.commands().flushall();
        }
        Users.load(source, USERS);
        Users.load(inPlace, USERS);
        for (RedisServer server : List.of(source, inPlace)) {
            oddUsers(server);
        }
    }

    /** The users {@link #oddUsers} adds. */
    private static final int ODD_USERS = 3 + 2 + 20;

    /**
     * Users each with one field whose bytes are not UTF-8: only the migrations that read that field can skip them; the
     * others convert them, on the way as in place. Users with a field too long, or too many fields, for the compact
     * form (serialised as a table of strings rather than a listpack), and users that expire in an hour (converted by
     * the write script, not restored as converted).
     */
    private static void oddUsers(RedisServer server) {
        RedisClient client = RedisClient.create(server.url());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            String[] fields = {"name", "email", "created_at"};
            for (String bad : fields) {
                Map<byte[], byte[]> user = oddUser("01ODD" + bad.toUpperCase(Locale.ROOT));
                user.put(bytes(bad), new byte[] {'x', (byte) 0xe9, 'y'});
                connection.sync().hset(bytes(":app.models.User:01ODD" + bad.toUpperCase(Locale.ROOT)), user);
            }
            Map<byte[], byte[]> longBio = oddUser("01ODDLONG");
            longBio.put(bytes("bio"), bytes("A long biography. ".repeat(20)));
            connection.sync().hset(bytes(":app.models.User:01ODDLONG"), longBio);
            Map<byte[], byte[]> wide = oddUser("01ODDWIDE");
            for (int i = 0; i < 200; i++) {
                wide.put(bytes("preference_" + i), bytes(Integer.toString(i * 31)));
            }
            connection.sync().hset(bytes(":app.models.User:01ODDWIDE"), wide);
            for (int i = 0; i < 20; i++) {
                byte[] key = bytes(":app.models.User:01ODDEXPIRING" + i);
                connection.sync().hset(key, oddUser("01ODDEXPIRING" + i));
                connection.sync().expire(key, 3_600);
            }
        } finally {
            ClientShutdown.of(client);
        }
    }

    private static Map<byte[], byte[]> oddUser(String pk) {
        Map<byte[], byte[]> user = new LinkedHashMap<>();
        user.put(bytes("pk"), bytes(pk));
        user.put(bytes("name"), bytes("Ada Lovelace"));
        user.put(bytes("email"), bytes("Ada@Example.com"));
        user.put(bytes("age"), bytes("36"));
        user.put(bytes("created_at"), bytes("2022-01-01T00:00:00Z"));
        return user;
    }

    /** A hash's fields, each value's bytes as ISO-8859-1 text, so bytes that are not UTF-8 compare as they are. */
    private static Map<String, String> rawHash(RedisServer server, byte[] key) {
        RedisClient client = RedisClient.create(server.url());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            Map<String, String> fields = new java.util.TreeMap<>();
            connection
                    .sync()
                    .hgetall(key)
                    .forEach((name, value) -> fields.put(
                            new String(name, StandardCharsets.ISO_8859_1),
                            new String(value, StandardCharsets.ISO_8859_1)));
            return fields;
        } finally {
            ClientShutdown.of(client);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> args(RedisServer redis, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo-" + redis.port()),
                "--migrations.jars=" + Samples.jar(),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at",
                "--partitions=4"));
        args.addAll(List.of(extra));
        return args;
    }

    private InProcessRun copy(String... extra) {
        return copyWith(args(source, extra));
    }

    private InProcessRun copyWith(List<String> args) {
        args.add("--target.url=" + target.url());
        return InProcessRun.of(args.toArray(String[]::new));
    }

    @Test
    void theChainMadeOnTheWayLeavesTheTargetAsTheChainInPlaceLeavesItsServer() {
        Map<String, Map<String, String>> sourceBefore = Users.snapshot(source, Users.PATTERN);
        assertThat(Users.snapshot(inPlace, Users.PATTERN)).isEqualTo(sourceBefore);
        InProcessRun migrated = InProcessRun.of(args(inPlace).toArray(String[]::new));
        assertThat(migrated.exitCode()).as(migrated.output()).isZero();

        InProcessRun copied = copy();

        assertThat(copied.exitCode()).as(copied.output()).isZero();
        String output = copied.output();
        for (String id : List.of(
                "001_datetime_fields_to_timestamps",
                "20260101_000100_normalize_emails",
                "20260101_000200_add_email_domain",
                "20260101_000300_split_name",
                "20260101_000400_populate_missing_created_at")) {
            assertThat(output).contains(id + ": applied on the way, as the documents were copied");
            // The same counts as the walk in place: what each read, changed, left and rejected.
            assertThat(countsOf(
                            output, id, "applied on the way, as the documents were copied \\(copy execution \\d+\\)"))
                    .as(id)
                    .isEqualTo(countsOf(migrated.output(), id, "applied \\(execution \\d+\\)"));
        }
        assertThat(output.indexOf("20260101_000100_normalize_emails: applied"))
                .isLessThan(output.indexOf("20260101_000200_add_email_domain: applied"));
        // No Customer JSON documents: that one matched nothing, on the way as in place, and stays pending.
        assertThat(output).contains("20260201_000100_rename_zip_to_postal_code: left pending");
        assertThat(Users.snapshot(target, Users.PATTERN)).isEqualTo(Users.snapshot(inPlace, Users.PATTERN));
        for (String odd : List.of("NAME", "EMAIL", "CREATED_AT", "LONG", "WIDE", "EXPIRING0")) {
            byte[] key = bytes(":app.models.User:01ODD" + odd);
            assertThat(rawHash(target, key)).as(odd).isEqualTo(rawHash(inPlace, key));
        }
        assertThat(rawHash(target, bytes(":app.models.User:01ODDWIDE")))
                .as("converted, all its fields kept")
                .containsEntry("preference_0", "0")
                .containsEntry("preference_199", "6169")
                .containsEntry("created_at", "1640995200.0");
        for (int i = 0; i < 20; i++) {
            assertThat(target.commands().ttl(":app.models.User:01ODDEXPIRING" + i))
                    .as("expiring user %d keeps its expiry", i)
                    .isBetween(3_000L, 3_600L);
        }
        assertThat(rawHash(target, bytes(":app.models.User:01ODDNAME")))
                .as("converted by the migrations that do not read the name")
                .containsEntry("created_at", "1640995200.0")
                .containsEntry("email_domain", "example.com");
        assertThat(target.commands().smembers(MigrationKind.DATA.appliedSet()))
                .isEqualTo(inPlace.commands().smembers(MigrationKind.DATA.appliedSet()));
        assertThat(target.commands().xlen("redis-om-batch:skipped:20260101_000100_normalize_emails"))
                .isEqualTo(inPlace.commands().xlen("redis-om-batch:skipped:20260101_000100_normalize_emails"));
        assertThat(Users.snapshot(source, Users.PATTERN))
                .as("the source only read")
                .isEqualTo(sourceBefore);

        InProcessRun again = copy();
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("done earlier, not copied again").doesNotContain("applied on the way");
    }

    @Test
    void aCopyResumedWithOtherMigrationsThanItBeganWithIsRefused() throws Exception {
        List<String> args = args(source, "--scan-count=50", "--threads=1");
        args.add("--target.url=" + target.url());
        JarProcess copying = JarProcess.start(work, args.toArray(String[]::new));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (target.commands().dbsize() < USERS / 5 && copying.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(copying.isAlive())
                .as("still copying at " + USERS / 5 + " keys")
                .isTrue();
        copying.kill();
        Thread.sleep(200); // what the killed process had sent before it died is written meanwhile
        Map<String, Map<String, String>> usersAtKill = Users.snapshot(target, Users.PATTERN);

        List<String> otherFields = args(source);
        otherFields.replaceAll(
                arg -> arg.equals("--datetime.fields=created_at") ? "--datetime.fields=created_at,updated_at" : arg);
        InProcessRun other = copyWith(otherFields);

        assertThat(other.exitCode()).as(other.output()).isEqualTo(3);
        assertThat(other.output())
                .contains("holds an unfinished copy of 127.0.0.1:" + source.port())
                .contains("on the way; this run would make")
                .contains("give the same migrations and code, or flush the target and copy again");
        assertThat(Users.snapshot(target, Users.PATTERN)).as("nothing written").isEqualTo(usersAtKill);

        InProcessRun same = copy();
        assertThat(same.exitCode()).as(same.output()).isZero();
        assertThat(Users.snapshot(target, Users.PATTERN)).hasSize(USERS + ODD_USERS);
        InProcessRun verified = InProcessRun.of(
                "--job=verify",
                "--check-data",
                "--redis.url=" + source.url(),
                "--target.url=" + target.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo-" + source.port()),
                "--migrations.jars=" + Samples.jar(),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at");
        assertThat(verified.exitCode()).as(verified.output()).isZero();
    }

    /**
     * A hash a migration deletes or leaves without a field, and one that expires, are not restored as converted: they
     * are restored and written by the write script, as before the copy read hashes from their DUMP. The target ends as
     * the same migrations leave a server in place, with the same counts.
     */
    @Test
    void hashesDeletedOrEmptiedOnTheWayEndAsInPlace() throws Exception {
        for (RedisServer server : List.of(source, inPlace)) {
            RedisCommands<String, String> redis = server.commands();
            for (int i = 0; i < 10; i++) {
                redis.hset(
                        ":app.models.User:01CLOSED" + i,
                        Map.of("name", "Closed " + i, "status", "closed", "created_at", "2022-01-01T00:00:00Z"));
                redis.hset(":app.models.User:01EMPTY" + i, Map.of("status", "empty", "scratch", "x" + i));
                redis.hset(
                        ":app.models.User:01SCRATCH" + i,
                        Map.of("name", "Scratch " + i, "scratch", "s" + i, "created_at", "2022-01-01T00:00:00Z"));
            }
            redis.expire(":app.models.User:01CLOSED0", 3_600);
            redis.expire(":app.models.User:01SCRATCH0", 3_600);
        }
        Path jar = MigrationJars.of(work.resolve("prune.jar"), PruningMigration.class);
        InProcessRun migrated = InProcessRun.of(withJar(args(inPlace), jar).toArray(String[]::new));
        assertThat(migrated.exitCode()).as(migrated.output()).isZero();

        InProcessRun copied = copyWith(withJar(args(source), jar));

        assertThat(copied.exitCode()).as(copied.output()).isZero();
        for (String id : List.of("001_datetime_fields_to_timestamps", PruningMigration.ID)) {
            assertThat(countsOf(
                            copied.output(),
                            id,
                            "applied on the way, as the documents were copied \\(copy execution \\d+\\)"))
                    .as(id)
                    .isEqualTo(countsOf(migrated.output(), id, "applied \\(execution \\d+\\)"));
        }
        Map<String, Map<String, String>> converted = Users.snapshot(target, Users.PATTERN);
        assertThat(converted).isEqualTo(Users.snapshot(inPlace, Users.PATTERN));
        assertThat(converted)
                .doesNotContainKeys(":app.models.User:01CLOSED0", ":app.models.User:01CLOSED9")
                .doesNotContainKeys(":app.models.User:01EMPTY0", ":app.models.User:01EMPTY9")
                .containsKeys(":app.models.User:01SCRATCH0", ":app.models.User:01SCRATCH9");
        assertThat(converted.get(":app.models.User:01SCRATCH9"))
                .doesNotContainKey("scratch")
                .containsEntry("created_at", "1640995200.0");
        assertThat(target.commands().ttl(":app.models.User:01SCRATCH0")).isBetween(3_000L, 3_600L);
    }

    /** {@code args} with {@code jar} as the only migrations jar. */
    private static List<String> withJar(List<String> args, Path jar) {
        args.replaceAll(arg -> arg.startsWith("--migrations.jars=") ? "--migrations.jars=" + jar : arg);
        return args;
    }

    /** The counts a migration's summary line gives ("R read, C changed, ..."), after its status. */
    private static String countsOf(String output, String id, String status) {
        java.util.regex.Matcher line = java.util.regex.Pattern.compile(
                        java.util.regex.Pattern.quote(id) + ": " + status + ": ([^\\n]*)")
                .matcher(output);
        assertThat(line.find()).as(id + " in " + output).isTrue();
        return line.group(1);
    }
}
