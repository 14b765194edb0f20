package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.redisombatch.batch.redis.ServerInfo;
import dev.redisombatch.batch.support.Customers;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.RedisServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis OM {@code JsonModel} documents copied to another RedisJSON server and converted there by the built-in; a
 * target without RedisJSON refused before anything is written. Skipped, with the reason, when no JSON module is given.
 */
class JsonCopyIT {

    private static final int CUSTOMERS = 5_000;

    @RegisterExtension
    static final RedisServer source = RedisServer.withJson();

    @RegisterExtension
    static final RedisServer target = RedisServer.withJson();

    @RegisterExtension
    static final RedisServer withoutJson = new RedisServer();

    @TempDir
    Path work;

    private InProcessRun copyTo(RedisServer to) {
        return InProcessRun.of(
                "--job=migrateData",
                "--redis.url=" + source.url(),
                "--target.url=" + to.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Customers.PATTERN,
                "--datetime.fields=" + Customers.FIELDS);
    }

    @Test
    void documentsAreCopiedAndConvertedOnTheTargetOnly() {
        assumeFalse(
                source.external(),
                "REDIS_JSON_URL names one server: a copy needs two (give REDISJSON_MODULE to start them here)");
        source.commands().flushall();
        target.commands().flushall();
        withoutJson.commands().flushall();
        Customers.load(source, CUSTOMERS);
        Map<String, String> before = Customers.snapshot(source, CUSTOMERS);

        InProcessRun refused = copyTo(withoutJson);
        InProcessRun copied = copyTo(target);

        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output()).contains("lacks the module(s) [rejson]");
        assertThat(withoutJson.commands().dbsize()).isZero();
        assertThat(copied.exitCode()).as(copied.output()).isZero();
        assertThat(copied.output())
                .as("converted on the way, not by a walk of the target")
                .containsPattern(": applied on the way, as the documents were copied \\(copy execution \\d+\\): "
                        + CUSTOMERS + " read");
        Map<String, String> after = Customers.snapshot(target, CUSTOMERS);
        long wrong = Customers.wronglyMigrated(before, after, CUSTOMERS);
        assertThat(wrong)
                .as("documents on the target not what the migration makes of the source's")
                .isZero();
        assertThat(Customers.snapshot(source, CUSTOMERS))
                .as("the source as it was")
                .isEqualTo(before);

        // verify compares the copy with its source: each document as the migration makes the source's.
        long keys = source.commands().dbsize();
        InProcessRun verified = verify();
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).contains(keys + " source keys compared, " + keys + " equal, 0 differ");
        String deleted = source.commands().keys(Customers.PATTERN).get(0);
        target.commands().del(deleted);
        InProcessRun differs = verify();
        assertThat(differs.exitCode()).as(differs.output()).isEqualTo(7);
        assertThat(differs.output()).contains("1 missing on the target; e.g. [" + deleted + "]");
    }

    private InProcessRun verify() {
        return InProcessRun.of(
                "--job=verify",
                "--check-data",
                "--redis.url=" + source.url(),
                "--target.url=" + target.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"));
    }

    /**
     * ReJSON before 2.0 notifies nothing of its writes: following it is refused. RedisJSON 2.x notifies them: the
     * documents written again on the source while the run follows are converted on the target.
     */
    @Test
    void followingJsonWritesNeedsARedisJsonThatNotifiesThem() throws Exception {
        assumeFalse(
                source.external(),
                "REDIS_JSON_URL names one server: a copy needs two (give REDISJSON_MODULE to start them here)");
        source.commands().flushall();
        target.commands().flushall();
        source.commands().configSet("notify-keyspace-events", "KEA");
        Customers.load(source, 500);
        long version = ServerInfo.modules(source.commands().info("modules")).get("rejson");
        String[] args = {
            "--job=migrateData",
            "--redis.url=" + source.url(),
            "--target.url=" + target.url(),
            "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
            "--datetime.keys=" + Customers.PATTERN,
            "--datetime.fields=" + Customers.FIELDS,
            "--follow"
        };
        if (version < 20_000) {
            InProcessRun refused = InProcessRun.of(args);
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
            assertThat(refused.output()).contains("sends no keyspace notifications for JSON writes");
            assertThat(target.commands().dbsize()).isZero();
            return;
        }
        JarProcess run = JarProcess.start(work, args);
        while (!run.output().contains("following the source's changes into")) {
            assertThat(run.isAlive()).as(run.output()).isTrue();
            Thread.sleep(50);
        }
        Customers.load(source, CUSTOMERS); // 4,500 documents new while followed, 500 written again
        Thread.sleep(2_000);
        run.terminate();
        JarProcess.Finished finished = run.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isZero();
        assertThat(Customers.wronglyMigrated(
                        Customers.snapshot(source, CUSTOMERS), Customers.snapshot(target, CUSTOMERS), CUSTOMERS))
                .as("documents written while followed, not converted on the target")
                .isZero();
    }
}
