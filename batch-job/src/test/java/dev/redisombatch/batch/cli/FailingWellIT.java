package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.ops.RunLease;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.JarProcess.Finished;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Samples;
import dev.redisombatch.batch.support.TlsRedisServer;
import dev.redisombatch.batch.support.Users;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar, as a separate JVM, failing well: each misconfiguration ends in time with its documented exit code
 * and one line on standard error saying what to fix, never a stack trace; TLS and a least-privilege ACL user work;
 * no secret leaks into output, files or Redis; SIGTERM never turns into exit 0; nothing succeeds silently; a dead
 * holder's lock is taken over at once. Wall times are generous: CI is a busy 2-core machine.
 */
class FailingWellIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    static final TlsRedisServer tls = new TlsRedisServer();

    @RegisterExtension
    static final TlsRedisServer mutualTls = TlsRedisServer.requireClientCertificates();

    /** The secret the tests try to leak; it must appear nowhere the tool writes. */
    private static final String SECRET = "S3cretPw9";

    private static final String USERS = Users.PATTERN;

    /** A broad migration user, not the least-privilege list of docs/security.md. */
    static final String BROAD_ACL = "-@all +@read +@write +@keyspace +@hash +@string +@set +@stream +@scripting"
            + " +info +dbsize +ping +client|setname +client|id +hello +auth +select ~* &*";
    /**
     * What the tool was seen to need for migrateData, status, verify --check-data and rollback (INFO commandstats
     * and MONITOR, scripts' own calls included), trimmed down from {@link #BROAD_ACL}: HELLO and AUTH need no grant;
     * SELECT is needed only with a /db other than 0; XADD only when a document is skipped.
     */
    static final String MINIMAL_ACL = "resetkeys ~* resetchannels -@all +info +dbsize +scan +type +exists +get +set"
            + " +del +pexpire +hget +hset +hdel +hmget +hgetall +hincrby +hlen +sadd +srem +smembers +xadd +eval"
            + " +evalsha +script|load +select";

    private static PasswordRedis passwordRedis;

    @TempDir
    Path work;

    @BeforeEach
    void cleanRedis() {
        redis.commands().flushall();
        for (String user : redis.commands().aclUsers()) {
            if (!"default".equals(user)) {
                redis.commands().aclDeluser(user);
            }
        }
    }

    @AfterAll
    static void stopPasswordRedis() {
        if (passwordRedis != null) {
            passwordRedis.close();
        }
    }

    // ------------------------------------------------------------------------------------ 1. misconfigurations

    @Test
    void aWrongPortEndsWithExit1NamingHostAndPortAndLogsOneWarningPerRetry() throws Exception {
        int port = closedPort();

        Timed run = timed(() -> JarProcess.run(work, migrateArgs("redis://127.0.0.1:" + port)));

        assertFailedWell(run, 1);
        assertThat(lastLine(run)).contains("127.0.0.1:" + port);
        List<String> warnings = run.finished
                .stderr()
                .lines()
                .filter(line -> line.contains(" WARN "))
                .toList();
        assertThat(warnings)
                .as("one WARN per retry (default --redis.retries=8)\n" + run.finished.stderr())
                .hasSize(8)
                .allSatisfy(
                        line -> assertThat(line).contains("Connection refused").contains("127.0.0.1:" + port));
        for (int retry = 1; retry <= 8; retry++) {
            assertThat(warnings.get(retry - 1)).as("numbering of the retries").contains("retry " + retry + " of 8");
        }
    }

    @Test
    void aWrongPortWithoutRetriesEndsAtOnceWithoutRetrying() throws Exception {
        int port = closedPort();

        Timed run = timed(() -> JarProcess.run(work, migrateArgs("redis://127.0.0.1:" + port, "--redis.retries=0")));

        assertFailedWell(run, 1);
        assertThat(lastLine(run)).contains("127.0.0.1:" + port);
        assertThat(run.finished.stderr()).doesNotContain(" WARN ");
    }

    @Test
    void aWrongPasswordEndsWithExit2AboutAuthentication() throws Exception {
        Timed run = timed(
                () -> JarProcess.run(work, migrateArgs("redis://:wrongPassword@127.0.0.1:" + passwordRedis().port)));

        assertFailedWell(run, 2);
        assertThat(lastLine(run)).containsIgnoringCase("authentication").doesNotContain("wrongPassword");
    }

    @Test
    void aDatabaseIndexOutOfRangeEndsWithExit2() throws Exception {
        Timed run = timed(() -> JarProcess.run(work, migrateArgs(redis.url() + "/99")));

        assertFailedWell(run, 2);
        assertThat(lastLine(run)).contains("DB index is out of range").contains("/db");
    }

    @Test
    void tlsWithoutTrustEndsWithExit2AboutTls() throws Exception {
        Timed run = timed(() -> JarProcess.run(work, migrateArgs(tls.url())));

        assertFailedWell(run, 2);
        assertThat(lastLine(run)).contains("TLS").contains("--redis.tls.ca-file");
    }

    @Test
    void tlsTrustingTheWrongCaEndsWithExit2AboutTls() throws Exception {
        Timed run =
                timed(() -> JarProcess.run(work, migrateArgs(tls.url(), "--redis.tls.ca-file=" + tls.otherCaFile())));

        assertFailedWell(run, 2);
        assertThat(lastLine(run)).contains("TLS").contains("--redis.tls.ca-file");
    }

    // ------------------------------------------------------------------------------------------------- 2. TLS

    @Test
    void tlsTrustingTheCaGeneratesAndMigratesAndEveryCreatedAtIsNumericAfter() throws Exception {
        tls.commands().flushall();
        Timed generated = timed(() -> JarProcess.run(
                work,
                "--job=generateDemoData",
                "--count=1000",
                "--redis.url=" + tls.url(),
                "--redis.tls.ca-file=" + tls.caFile()));
        assertThat(generated.finished.exitCode())
                .as(generated.finished.output())
                .isZero();
        assertThat(tls.commands().dbsize()).isEqualTo(1000);

        // The demo data leaves created_at out of a few users, as Redis OM 0.x data can.
        long withCreatedAt = fieldValues(tls.commands(), USERS, "created_at").stream()
                .filter(v -> v != null)
                .count();
        assertThat(withCreatedAt).isGreaterThan(900);

        Timed migrated =
                timed(() -> JarProcess.run(work, migrateArgs(tls.url(), "--redis.tls.ca-file=" + tls.caFile())));

        assertThat(migrated.finished.exitCode()).as(migrated.finished.output()).isZero();
        assertNoStackTrace(migrated);
        List<String> createdAt = fieldValues(tls.commands(), USERS, "created_at").stream()
                .filter(v -> v != null)
                .toList();
        assertThat(createdAt)
                .hasSize((int) withCreatedAt)
                .allSatisfy(value -> assertThat(value).matches("-?\\d+(\\.\\d+)?"));
        System.out.printf(
                "TLS: generateDemoData %.1f s, migrateData %.1f s%n", generated.seconds(), migrated.seconds());
    }

    @Test
    void mutualTlsNeedsTheClientCertificateAndWorksWithIt() throws Exception {
        RedisCommands<String, String> server = mutualTls.commands();
        server.flushall();
        server.hset(":app.models.User:01TLS", Map.of("created_at", "2024-01-15T10:30:00Z"));

        Timed without = timed(
                () -> JarProcess.run(work, migrateArgs(mutualTls.url(), "--redis.tls.ca-file=" + mutualTls.caFile())));
        assertFailedWell(without, 2);
        assertThat(lastLine(without)).contains("TLS");

        Timed with = timed(() -> JarProcess.run(
                work,
                migrateArgs(
                        mutualTls.url(),
                        "--redis.tls.ca-file=" + mutualTls.caFile(),
                        "--redis.tls.cert-file=" + mutualTls.clientCertFile(),
                        "--redis.tls.key-file=" + mutualTls.clientKeyFile())));
        assertThat(with.finished.exitCode()).as(with.finished.output()).isZero();
        assertNoStackTrace(with);
        assertThat(server.hget(":app.models.User:01TLS", "created_at")).isEqualTo("1705314600.0");
    }

    /** What to fix when the server wants a client certificate is the certificate, not the CA file. */
    @Test
    void mutualTlsWithoutAClientCertificateSaysACertificateIsNeeded() throws Exception {
        Timed without = timed(() -> JarProcess.run(
                work,
                "--job=status",
                "--redis.url=" + mutualTls.url(),
                "--redis.tls.ca-file=" + mutualTls.caFile(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo")));

        assertFailedWell(without, 2);
        assertThat(lastLine(without)).contains("--redis.tls.cert-file");
    }

    @Test
    void tlsVerifyNoneConnectsWithoutACaFileAndWarns() throws Exception {
        Timed run = timed(() -> JarProcess.run(
                work,
                "--job=status",
                "--redis.url=" + tls.url(),
                "--redis.tls.verify=none",
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo")));

        assertThat(run.finished.exitCode()).as(run.finished.output()).isZero();
        assertNoStackTrace(run);
        assertThat(run.finished
                        .stderr()
                        .lines()
                        .filter(line -> line.contains(" WARN ") && line.contains("--redis.tls.verify=none")))
                .hasSize(1);
    }

    // ------------------------------------------------------------------------------------------------- 3. ACL

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {BROAD_ACL, MINIMAL_ACL})
    void aLeastPrivilegeUserCanMigrateReportVerifyAndRollBack(String rules) throws Exception {
        Users.load(redis, 1000);
        aclSetUser("mig", "on", ">pw", rules);
        String url = "redis://mig:pw@127.0.0.1:" + redis.port();
        List<String> common = List.of(
                "--redis.url=" + url,
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + USERS,
                "--datetime.fields=created_at",
                "--migrations.jars=" + Samples.jar());

        for (List<String> job : List.of(
                List.of("--job=migrateData"),
                List.of("--job=status"),
                List.of("--job=verify", "--check-data"),
                List.of("--job=rollback", "--migration=20260101_000300_split_name"))) {
            List<String> args = new ArrayList<>(job);
            args.addAll(common);
            Timed run = timed(() -> JarProcess.run(work, args.toArray(String[]::new)));
            assertThat(run.finished.exitCode())
                    .as(job + " as mig (" + rules + ")\n" + run.finished.output())
                    .isZero();
            assertNoStackTrace(run);
            System.out.printf("ACL %s %s: %.1f s%n", rules.equals(BROAD_ACL) ? "broad" : "minimal", job, run.seconds());
        }
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet()))
                .contains("001_datetime_fields_to_timestamps")
                .doesNotContain("20260101_000300_split_name");
    }

    @Test
    void aUserWithoutInfoFailsWithExit2NamingInfo() throws Exception {
        Users.load(redis, 1000);
        aclSetUser("mig", "on", ">pw", BROAD_ACL.replace(" +info", ""));

        Timed run = timed(() -> JarProcess.run(work, migrateArgs("redis://mig:pw@127.0.0.1:" + redis.port())));

        assertFailedWell(run, 2);
        assertThat(lastLine(run)).contains("'info'");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();
    }

    @Test
    void aUserWithoutScriptingFailsWithExit2NamingEval() throws Exception {
        Users.load(redis, 1000);
        aclSetUser("mig", "on", ">pw", BROAD_ACL.replace(" +@scripting", ""));

        Timed run = timed(() -> JarProcess.run(work, migrateArgs("redis://mig:pw@127.0.0.1:" + redis.port())));

        assertFailedWell(run, 2);
        assertThat(lastLine(run)).containsAnyOf("'eval'", "'evalsha'", "'script|load'");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();
    }

    /**
     * Seen: a user that may read every key but write only the tool's own was refused once its run had started, and
     * the message said "nothing was started". Its execution and checkpoints stay, and the same command resumes.
     */
    @Test
    void aWriteRefusedForSomeKeysOnceTheRunStartedSaysTheRunGoesOnOnceFixed() throws Exception {
        Users.load(redis, 1000);
        aclSetUser("mig", "on", ">pw", BROAD_ACL.replace("~*", "~redis-om-batch:* %R~*"));

        Timed refused = timed(() -> JarProcess.run(work, migrateArgs("redis://mig:pw@127.0.0.1:" + redis.port())));

        assertFailedWell(refused, 2);
        assertThat(lastLine(refused))
                .contains("NOPERM")
                .contains("what was written stays, and it goes on from there")
                .doesNotContain("nothing was started");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();

        aclSetUser("mig", "~*");
        Finished resumed = JarProcess.run(work, migrateArgs("redis://mig:pw@127.0.0.1:" + redis.port()));
        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("resuming job instance");
        List<String> createdAt = Users.snapshot(redis, USERS).values().stream()
                .map(user -> user.get("created_at"))
                .filter(value -> value != null)
                .toList();
        assertThat(createdAt)
                .hasSizeGreaterThan(900)
                .allSatisfy(value -> assertThat(value).matches("-?\\d+(\\.\\d+)?"));
    }

    // --------------------------------------------------------------------------------------------- 4. secrets

    @Test
    void theSecretAppearsNowhereTheToolWrites() throws Exception {
        Users.load(redis, 500);
        aclSetUser("mig", "on", ">" + SECRET, "~*", "&*", "+@all");
        String url = "redis://mig:" + SECRET + "@127.0.0.1:" + redis.port();
        List<Finished> runs = new ArrayList<>();

        // succeeds, the job repository (with a password) under the working directory
        Finished migrated = JarProcess.run(work, migrateArgs(url, "--job-repository.password=" + SECRET));
        assertThat(migrated.exitCode()).as(migrated.output()).isZero();
        runs.add(migrated);
        // succeeds, the default job repository ./redis-om-batch-repository
        Finished status = JarProcess.run(
                work,
                "--job=status",
                "--redis.url=" + url,
                "--detailed",
                "--datetime.keys=" + USERS,
                "--datetime.fields=created_at");
        assertThat(status.exitCode()).as(status.output()).isZero();
        runs.add(status);
        // a malformed URL holding the secret
        Finished malformed = JarProcess.run(
                work,
                "--job=migrateData",
                "--redis.url=redis://mig:" + SECRET + "@127.0.0.1:99999",
                "--datetime.keys=" + USERS,
                "--datetime.fields=created_at");
        assertThat(malformed.exitCode()).as(malformed.output()).isEqualTo(2);
        runs.add(malformed);
        // a wrong Redis password
        Finished wrongPassword =
                JarProcess.run(work, migrateArgs("redis://mig:" + SECRET + "x@127.0.0.1:" + redis.port()));
        assertThat(wrongPassword.exitCode()).as(wrongPassword.output()).isEqualTo(2);
        runs.add(wrongPassword);
        // the secret in the JDBC URL (whatever the tool makes of it)
        runs.add(JarProcess.run(
                work,
                "--job=migrateData",
                "--redis.url=" + url,
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo-in-url") + ";PASSWORD=" + SECRET,
                "--datetime.keys=" + USERS,
                "--datetime.fields=created_at"));
        // a PostgreSQL URL with user:password@ before the host, which its driver would take for a host name
        Finished userInfo = JarProcess.run(
                work,
                "--job=migrateData",
                "--redis.url=" + url,
                "--job-repository.url=jdbc:postgresql://batch:" + SECRET + "@127.0.0.1:1/jobs",
                "--datetime.keys=" + USERS,
                "--datetime.fields=created_at");
        assertThat(userInfo.exitCode()).as(userInfo.output()).isEqualTo(2);
        assertThat(userInfo.stderr())
                .contains("--job-repository.url=jdbc:postgresql://batch:***@127.0.0.1:1/jobs: PostgreSQL's driver reads"
                        + " no user:password@");
        runs.add(userInfo);
        // a wrong job repository password for an existing repository
        runs.add(JarProcess.run(work, migrateArgs(url, "--job-repository.password=" + SECRET + "x")));

        for (Finished run : runs) {
            assertThat(run.stdout()).doesNotContain(SECRET);
            assertThat(run.stderr()).doesNotContain(SECRET);
            assertThat(run.output()).doesNotContain("\tat ");
        }
        assertThat(filesHolding(work, SECRET))
                .as("files under the working directory holding the secret")
                .isEmpty();
        assertThat(Files.list(work).map(path -> path.getFileName().toString()))
                .as("the job repositories were written")
                .contains("repo.mv.db", "redis-om-batch-repository");
        assertThat(keysHolding(redisBytes(redis.url()), SECRET)).isEmpty();
    }

    /** docs/configuration.md: "any JDBC URL"; H2 takes its credentials in the URL as ;USER= and ;PASSWORD=. */
    @Test
    void anH2UrlCarryingItsPasswordIsAccepted() throws Exception {
        Users.load(redis, 100);
        Finished run = JarProcess.run(
                work,
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo") + ";PASSWORD=" + SECRET,
                "--datetime.keys=" + USERS,
                "--datetime.fields=created_at");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain(SECRET);
    }

    @Test
    void thePasswordFromTheEnvironmentOrAFileWorksAndStaysOutOfTheCommandLine() throws Exception {
        PasswordRedis server = passwordRedis();
        try (RedisClient client = server.client()) {
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().flushall();
                connection.sync().hset(":app.models.User:01ENV", Map.of("created_at", "2024-01-15T10:30:00Z"));
            }
        }
        String urlWithSecret = "redis://:" + SECRET + "@127.0.0.1:" + server.port;

        JarProcess fromEnvironment = JarProcess.start(
                work,
                Map.of("REDIS_OM_BATCH_REDIS_URL", urlWithSecret),
                "--job=migrateData",
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + USERS,
                "--datetime.fields=created_at");
        String argvEnv = fromEnvironment.commandLine();
        Finished envRun = fromEnvironment.waitFor();
        assertThat(envRun.exitCode()).as(envRun.output()).isZero();
        assertThat(argvEnv)
                .as("the child's /proc cmdline")
                .contains("--job=migrateData")
                .doesNotContain(SECRET);

        try (RedisClient client = server.client();
                StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().hget(":app.models.User:01ENV", "created_at"))
                    .isEqualTo("1705314600.0");
            assertThat(keysHolding(server.bytesClient(), SECRET)).isEmpty();
            connection.sync().flushall();
            connection.sync().hset(":app.models.User:01FILE", Map.of("created_at", "2024-01-15T10:30:00Z"));
        }

        Path passwordFile = work.resolve("redis-password");
        Files.writeString(passwordFile, SECRET + "\n");
        JarProcess fromFile = JarProcess.start(
                work,
                "--job=migrateData",
                "--redis.url=redis://127.0.0.1:" + server.port,
                "--redis.password-file=" + passwordFile,
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo2"),
                "--datetime.keys=" + USERS,
                "--datetime.fields=created_at");
        String argvFile = fromFile.commandLine();
        Finished fileRun = fromFile.waitFor();
        assertThat(fileRun.exitCode()).as(fileRun.output()).isZero();
        assertThat(argvFile).contains("--redis.password-file=").doesNotContain(SECRET);

        try (RedisClient client = server.client();
                StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().hget(":app.models.User:01FILE", "created_at"))
                    .isEqualTo("1705314600.0");
        }
        for (Finished run : List.of(envRun, fileRun)) {
            assertThat(run.output()).doesNotContain(SECRET).doesNotContain("\tat ");
        }
        Files.delete(passwordFile);
        assertThat(filesHolding(work, SECRET)).isEmpty();
        assertThat(keysHolding(server.bytesClient(), SECRET)).isEmpty();
    }

    // -------------------------------------------------------------------------------------------- 5. SIGTERM

    @Test
    void sigtermWhileRedisNeverAnswersIsNeverExit0() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            long started = System.nanoTime();
            JarProcess process =
                    JarProcess.start(work, migrateArgs("redis://127.0.0.1:" + silent.port(), "--redis.timeout=60"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (silent.accepted() == 0 && System.nanoTime() < deadline && process.isAlive()) {
                Thread.sleep(50);
            }
            assertThat(silent.accepted())
                    .as("the tool connected to the silent server\n" + process.output())
                    .isPositive();
            long sinceStart = (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(Math.max(0, 5_000 - sinceStart));
            long signalled = System.nanoTime();
            process.terminate();
            Finished stopped = process.waitFor();
            double stopSeconds = (System.nanoTime() - signalled) / 1e9;
            System.out.printf(
                    "SIGTERM against a silent server: exit %d after %.1f s%n", stopped.exitCode(), stopSeconds);

            assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(6);
            assertThat(stopSeconds)
                    .as("within Kubernetes' default grace period of 30 s")
                    .isLessThan(30);
            assertThat(stopped.output()).doesNotContain("\tat ").contains("stop requested");
        }
    }

    // ------------------------------------------------------------------------------------- 6. silent success

    @Test
    void migrationJarsThatHoldNothingAreRefusedNamingThePath() throws Exception {
        Path text = Files.writeString(work.resolve("migrations.txt"), "not a jar\n");
        Path empty = Files.createFile(work.resolve("empty.jar"));
        Path folder = Files.createDirectories(work.resolve("no-jars-here"));

        for (Path path : List.of(text, empty, folder)) {
            Timed run = timed(() -> JarProcess.run(
                    work,
                    "--job=migrateData",
                    "--redis.url=" + redis.url(),
                    "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                    "--migrations.jars=" + path));
            assertFailedWell(run, 2);
            assertThat(lastLine(run)).contains(path.toString());
        }
    }

    @Test
    void aMigrationWhosePatternsMatchNoKeySaysSo() throws Exception {
        Users.load(redis, 100);

        Finished run = JarProcess.run(
                work,
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=nothing:*",
                "--datetime.fields=created_at");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.stderr()
                        .lines()
                        .filter(line ->
                                line.contains(" WARN ") && line.contains("matched no") && line.contains("nothing:*")))
                .hasSize(1);
        assertThat(run.stdout()).contains("matched no key");
    }

    // ----------------------------------------------------------------------------------------- 7. lock takeover

    @Test
    void aLockHeldByADeadProcessOnThisHostIsTakenOverAtOnce() throws Exception {
        Users.load(redis, 500);
        assertThat(ProcessHandle.of(999_999))
                .as("pid 999999 must not exist here")
                .isEmpty();
        String holder =
                "migrateData pid 999999 on " + InetAddress.getLocalHost().getHostName() + " (process table "
                        + processTable() + ") since 2026-01-01T00:00:00Z [x]";
        redis.commands()
                .set(
                        RunLease.KEY,
                        holder,
                        SetArgs.Builder.px(Duration.ofHours(1).toMillis()));

        Timed run = timed(() -> JarProcess.run(work, migrateArgs(redis.url())));

        assertThat(run.finished.exitCode()).as(run.finished.output()).isZero();
        assertThat(run.seconds()).as("well under the lock's TTL of an hour").isLessThan(120);
        assertThat(run.finished
                        .stderr()
                        .lines()
                        .filter(line -> line.contains(" INFO ") && line.contains("took over") && line.contains(holder)))
                .hasSize(1);
        assertThat(redis.commands().exists(RunLease.KEY))
                .as("released at the end")
                .isZero();
        assertThat(redis.commands().sismember(MigrationKind.DATA.appliedSet(), "001_datetime_fields_to_timestamps"))
                .isTrue();
    }

    @Test
    void aLockHeldInAnotherProcessTableOfTheSameHostNameIsStillRefused() throws Exception {
        Users.load(redis, 100);
        // A container sharing this host name (a hostNetwork pod) has its own pids: 999999 may be alive there.
        String holder =
                "migrateData pid 999999 on " + InetAddress.getLocalHost().getHostName() + " (process table "
                        + processTable().replaceAll("/\\d+$", "/1") + ") since 2026-01-01T00:00:00Z [x]";
        redis.commands()
                .set(
                        RunLease.KEY,
                        holder,
                        SetArgs.Builder.px(Duration.ofHours(1).toMillis()));

        Timed run = timed(() -> JarProcess.run(work, migrateArgs(redis.url())));

        assertFailedWell(run, 5);
        assertThat(redis.commands().get(RunLease.KEY)).isEqualTo(holder);
    }

    /** This machine's boot id and PID namespace, as the lock records them; read here as a person would. */
    private static String processTable() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip() + "/"
                + Files.readSymbolicLink(Path.of("/proc/self/ns/pid"))
                        .toString()
                        .replaceAll("\\D", "");
    }

    @Test
    void aLockHeldOnAnotherHostIsStillRefused() throws Exception {
        Users.load(redis, 100);
        String holder = "migrateData pid 999999 on some-other-host.example since 2026-01-01T00:00:00Z [x]";
        redis.commands()
                .set(
                        RunLease.KEY,
                        holder,
                        SetArgs.Builder.px(Duration.ofHours(1).toMillis()));

        Timed run = timed(() -> JarProcess.run(work, migrateArgs(redis.url())));

        assertFailedWell(run, 5);
        assertThat(lastLine(run)).contains(holder);
        assertThat(redis.commands().get(RunLease.KEY)).isEqualTo(holder);
        assertThat(redis.commands().pttl(RunLease.KEY))
                .isGreaterThan(Duration.ofMinutes(50).toMillis());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String[] migrateArgs(String url, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + url,
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + USERS,
                "--datetime.fields=created_at"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @FunctionalInterface
    interface JarRun {
        Finished run() throws Exception;
    }

    record Timed(Finished finished, Duration elapsed) {
        double seconds() {
            return elapsed.toMillis() / 1000.0;
        }
    }

    private static Timed timed(JarRun run) throws Exception {
        long started = System.nanoTime();
        Finished finished = run.run();
        return new Timed(finished, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Exit code, one line on stderr starting with the tool's name as its last line, no stack trace. The time is
     * printed, not asserted: on a busy machine a JVM alone took 18 s to start, so what bounds a failure's time is
     * asserted where the code decides it (the retries it logs, none without retries).
     */
    private static void assertFailedWell(Timed run, int exitCode) {
        Finished finished = run.finished;
        String shown = String.format("(%.1f s)%n%s", run.seconds(), finished.output());
        System.out.printf("exit %d in %.1f s: %s%n", finished.exitCode(), run.seconds(), lastLine(finished));
        assertThat(finished.exitCode()).as("exit code " + shown).isEqualTo(exitCode);
        assertNoStackTrace(run);
        List<String> messages = finished.stderr()
                .lines()
                .filter(line -> line.startsWith("redis-om-batch: "))
                .toList();
        assertThat(messages).as("one message line on stderr " + shown).hasSize(1);
        assertThat(lastLine(finished))
                .as("the message is the last line " + shown)
                .isEqualTo(messages.get(0));
    }

    private static void assertNoStackTrace(Timed run) {
        assertThat(run.finished.stdout()).as("stdout").doesNotContain("\tat ");
        assertThat(run.finished.stderr()).as("stderr").doesNotContain("\tat ");
    }

    private static String lastLine(Timed run) {
        return lastLine(run.finished);
    }

    private static String lastLine(Finished finished) {
        List<String> lines =
                finished.stderr().lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void aclSetUser(String name, String... rules) {
        CommandArgs<String, String> args =
                new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(name);
        for (String rule : rules) {
            for (String part : rule.trim().split("\\s+")) {
                args.add(part);
            }
        }
        redis.commands().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
    }

    private static List<String> fieldValues(RedisCommands<String, String> commands, String pattern, String field) {
        List<String> values = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page =
                    commands.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
            for (String key : page.getKeys()) {
                values.add(commands.hget(key, field));
            }
            cursor = page;
        } while (!cursor.isFinished());
        return values;
    }

    /** Every file under {@code folder} whose bytes hold the secret in UTF-8, UTF-16LE or UTF-16BE. */
    private static List<Path> filesHolding(Path folder, String secret) throws IOException {
        List<byte[]> needles = List.of(
                secret.getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_16LE),
                secret.getBytes(StandardCharsets.UTF_16BE));
        List<Path> holding = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                if (needles.stream().anyMatch(needle -> indexOf(bytes, needle) >= 0)) {
                    holding.add(file);
                }
            }
        }
        return holding;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static RedisCommands<byte[], byte[]> redisBytes(String url) {
        RedisClient client = RedisClient.create(url);
        CLIENTS.add(client);
        return client.connect(ByteArrayCodec.INSTANCE).sync();
    }

    private static final List<RedisClient> CLIENTS = new CopyOnWriteArrayList<>();

    @AfterAll
    static void closeClients() {
        CLIENTS.forEach(RedisClient::shutdown);
    }

    /**
     * Every key in every database whose name, DUMP, or readable value holds the secret (DUMP may compress a long
     * string, so values are also read by type).
     */
    private static List<String> keysHolding(RedisCommands<byte[], byte[]> bytes, String secret) {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        List<String> holding = new ArrayList<>();
        int databases = Integer.parseInt(bytes.configGet("databases").getOrDefault("databases", "16"));
        long keysSeen = 0;
        for (int db = 0; db < databases; db++) {
            bytes.select(db);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<byte[]> page = bytes.scan(cursor, ScanArgs.Builder.limit(1000));
                for (byte[] key : page.getKeys()) {
                    keysSeen++;
                    List<byte[]> parts = new ArrayList<>();
                    parts.add(key);
                    byte[] dump = bytes.dump(key);
                    if (dump != null) {
                        parts.add(dump);
                    }
                    switch (bytes.type(key)) {
                        case "string" -> parts.add(bytes.get(key));
                        case "hash" ->
                            bytes.hgetall(key).forEach((field, value) -> {
                                parts.add(field);
                                parts.add(value);
                            });
                        case "set" -> parts.addAll(bytes.smembers(key));
                        case "list" -> parts.addAll(bytes.lrange(key, 0, -1));
                        case "zset" -> parts.addAll(bytes.zrange(key, 0, -1));
                        case "stream" ->
                            bytes.xrange(key, Range.create("-", "+"))
                                    .forEach(message -> message.getBody().forEach((field, value) -> {
                                        parts.add(field);
                                        parts.add(value);
                                    }));
                        default -> {}
                    }
                    if (parts.stream().anyMatch(part -> part != null && indexOf(part, needle) >= 0)) {
                        holding.add(db + ":" + new String(key, StandardCharsets.UTF_8));
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
        }
        bytes.select(0);
        assertThat(keysSeen).as("keys scanned for the secret").isPositive();
        return holding;
    }

    /** A redis-server with {@code --requirepass SECRET}, started on first use, for this class. */
    private static synchronized PasswordRedis passwordRedis() throws IOException, InterruptedException {
        if (passwordRedis == null) {
            passwordRedis = new PasswordRedis();
        }
        return passwordRedis;
    }

    private static final class PasswordRedis implements AutoCloseable {
        final int port;
        final Path directory;
        final Process process;
        private final List<RedisClient> clients = new CopyOnWriteArrayList<>();

        PasswordRedis() throws IOException, InterruptedException {
            directory = Files.createTempDirectory("redis-password");
            port = closedPort();
            process = new ProcessBuilder(
                            "redis-server",
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--requirepass",
                            SECRET,
                            "--dir",
                            directory.toString(),
                            "--logfile",
                            "redis.log")
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stdout.log").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try (RedisClient client = client();
                        StatefulRedisConnection<String, String> connection = client.connect()) {
                    connection.sync().ping();
                    return;
                } catch (RuntimeException notYet) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        throw new IllegalStateException("redis-server --requirepass did not start", notYet);
                    }
                    Thread.sleep(100);
                }
            }
        }

        RedisClient client() {
            RedisURI uri = RedisURI.builder()
                    .withHost("127.0.0.1")
                    .withPort(port)
                    .withPassword(SECRET.toCharArray())
                    .withTimeout(Duration.ofSeconds(30))
                    .build();
            return RedisClient.create(uri);
        }

        RedisCommands<byte[], byte[]> bytesClient() {
            RedisClient client = client();
            clients.add(client);
            return client.connect(ByteArrayCodec.INSTANCE).sync();
        }

        @Override
        public void close() {
            clients.forEach(RedisClient::shutdown);
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Accepts TCP connections and reads whatever comes, forever, never answering: a hung Redis. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger accepted = new AtomicInteger();
        private final List<Socket> connections = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(
                    () -> {
                        while (!socket.isClosed()) {
                            try {
                                Socket connection = socket.accept();
                                connections.add(connection);
                                accepted.incrementAndGet();
                                Thread reader = new Thread(() -> drain(connection), "silent-reader");
                                reader.setDaemon(true);
                                reader.start();
                            } catch (IOException closed) {
                                return;
                            }
                        }
                    },
                    "silent-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void drain(Socket connection) {
            byte[] buffer = new byte[4096];
            try (InputStream in = connection.getInputStream()) {
                while (in.read(buffer) >= 0) {
                    // read and never answer
                }
            } catch (IOException closed) {
                // the client went away
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : connections) {
                connection.close();
            }
        }
    }
}
