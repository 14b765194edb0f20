package dev.redisombatch.batch.failure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.ops.StopSignal;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** One place classifies every failure: which are permanent, which transient, and which exit code each gets. */
class FailuresTest {

    @Test
    void everyKindHasItsPlaceWhenSeveralFailuresOfOneRunAreWeighed() {
        assertThat(Failures.MOST_TELLING_FIRST).containsExactlyInAnyOrder(Failure.values());
        RedisOmBatchException outOfStep = new RedisOmBatchException(Failure.OUT_OF_STEP, "missed a change");
        RedisOmBatchException interrupted = new RedisOmBatchException(Failure.INTERRUPTED, "a partition failed");
        RedisOmBatchException configuration = RedisOmBatchException.configuration("bad option");

        assertThat(Failures.mostTelling(List.of(interrupted, outOfStep))).contains(outOfStep);
        assertThat(Failures.mostTelling(List.of(outOfStep, configuration))).contains(configuration);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "WRONGPASS invalid username-password pair or user is disabled. | authentication failed",
                "NOAUTH Authentication required.                              | authentication failed",
                "NOPERM User mig has no permissions to run the 'info' command   | lacks a permission",
                "ERR DB index is out of range                                  | no such database",
                "ERR unknown command 'FT.INFO', with args beginning with:       | does not know a command"
            })
    void permanentRedisRefusalsAreConfigurationErrorsThatSayWhatToFix(String reply, String advice) {
        RuntimeException failure = new RedisConnectionException(
                "Unable to connect to 127.0.0.1:6379", new RedisCommandExecutionException(reply));

        RedisOmBatchException classified = Failures.classify(failure);

        assertThat(classified.failure()).isEqualTo(Failure.CONFIGURATION);
        assertThat(classified.failure().exitCode()).isEqualTo(2);
        assertThat(classified.getMessage()).contains(reply.strip()).contains(advice);
        assertThat(Failures.isPermanentRedisRefusal(failure)).isTrue();
    }

    @Test
    void aRefusedConnectionIsUnavailableNotAConfigurationError() {
        RuntimeException failure = new RedisConnectionException(
                "Unable to connect to 127.0.0.1:1", new ConnectException("Connection refused"));

        assertThat(Failures.classify(failure).failure()).isEqualTo(Failure.UNAVAILABLE);
        assertThat(Failures.classify(failure).failure().exitCode()).isEqualTo(1);
        assertThat(Failures.isPermanentRedisRefusal(failure)).isFalse();
    }

    @Test
    void tlsAndUnknownHostsArePermanent() {
        assertThat(Failures.classify(new RedisConnectionException("x", new SSLHandshakeException("PKIX path")))
                        .failure())
                .isEqualTo(Failure.CONFIGURATION);
        assertThat(Failures.classify(new RedisConnectionException("x", new UnknownHostException("nohost")))
                        .failure())
                .isEqualTo(Failure.CONFIGURATION);
    }

    /** rediss:// to a plain port: Redis waits for a line end a ClientHello never sends, and the handshake times out. */
    @Test
    void aTlsHandshakeThatGetsNoAnswerAdvisesThePortNotTheCaFile() {
        RedisOmBatchException timedOut = Failures.classify(new RedisConnectionException(
                "Unable to connect to 127.0.0.1:6379", new SSLException("handshake timed out after 10000ms")));
        RedisOmBatchException untrusted =
                Failures.classify(new RedisConnectionException("x", new SSLHandshakeException("PKIX path")));

        assertThat(timedOut.failure()).isEqualTo(Failure.CONFIGURATION);
        assertThat(timedOut.getMessage()).contains("no TLS answer came back").doesNotContain("ca-file");
        assertThat(untrusted.getMessage()).contains("--redis.tls.ca-file").doesNotContain("no TLS answer");
    }

    @Test
    void oursWinsWhereverItIsInTheChainAndStopsAreStops() {
        RedisOmBatchException ours = new RedisOmBatchException(Failure.DATA, "user:1: bad");
        assertThat(Failures.classify(new IllegalStateException("wrapped", ours)))
                .isSameAs(ours);
        assertThat(Failures.classify(new IllegalStateException(new JobInterruptedException("stop")))
                        .failure())
                .isEqualTo(Failure.STOPPED);
        // Spring Batch's own words come without a stop too (a commit whose outcome is unknown): StopSignal tells.
        RedisOmBatchException cutShort = Failures.classify(new JobInterruptedException("JobExecution interrupted."));
        assertThat(cutShort.failure()).isEqualTo(Failure.INTERRUPTED);
        assertThat(cutShort.getMessage()).isEqualTo(Failures.CUT_SHORT);
        StopSignal stop = new StopSignal();
        assertThat(stop.reclassify(cutShort)).isSameAs(cutShort);
        stop.request();
        assertThat(stop.reclassify(cutShort).failure()).isEqualTo(Failure.STOPPED);
        assertThat(stop.reclassify(cutShort).getMessage()).isEqualTo("stopped as requested");
        assertThat(Failures.classify(new IllegalStateException(new SQLException("Database may be already in use")))
                        .failure())
                .isEqualTo(Failure.LOCKED);
        assertThat(Failures.classify(new IllegalStateException(new SQLException("no route")))
                        .failure())
                .isEqualTo(Failure.CONFIGURATION);
        assertThat(Failures.classify(new IllegalStateException("a bug")).failure())
                .isEqualTo(Failure.INTERRUPTED);
    }

    @Test
    void aJobRepositoryThatCannotBeReachedIsResumableNotAConfigurationError() {
        SQLException refused = new SQLException(
                "Connection to 127.0.0.1:5432 refused", "08001", new ConnectException("Connection refused"));
        List<RuntimeException> outages = List.of(
                new IllegalStateException("Failed to initialize pool: " + refused.getMessage(), refused),
                new CannotCreateTransactionException(
                        "Could not open JDBC Connection for transaction",
                        new SQLTransientConnectionException(
                                "job-repository - Connection is not available, request" + " timed out after 10000ms")),
                new DataAccessResourceFailureException(
                        "x", new SQLException("terminating connection due to" + " administrator command", "57P01")),
                new IllegalStateException(
                        new SQLException("An I/O error occurred while sending to the backend", "08006")),
                rollbackFailedAfter(new SQLException("An I/O error occurred while sending to the backend", "08006")));

        for (RuntimeException outage : outages) {
            RedisOmBatchException classified = Failures.classify(outage);
            assertThat(classified.failure()).as(outage.toString()).isEqualTo(Failure.REPOSITORY_UNAVAILABLE);
            assertThat(classified.failure().exitCode()).isEqualTo(1);
            assertThat(classified.failure().advice()).contains("run the same command again to resume");
            assertThat(Failures.isJobRepositoryOutage(outage)).isTrue();
        }
    }

    /** What Spring's transaction template throws when the rollback after a broken connection fails too. */
    private static RuntimeException rollbackFailedAfter(Exception cause) {
        TransactionSystemException rollback =
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        rollback.initApplicationException(cause);
        return rollback;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "28P01 | FATAL: password authentication failed for user \"batch\" | --job-repository.password",
                "28000 | FATAL: no pg_hba.conf entry for host                  | --job-repository.username",
                "3D000 | FATAL: database \"nope\" does not exist                 | no such database",
                "08001 | No suitable driver                                      | no JDBC driver"
            })
    void aJobRepositoryThatRefusesForGoodIsAConfigurationErrorThatSaysWhatToFix(
            String state, String message, String advice) {
        RuntimeException failure =
                new IllegalStateException("Failed to initialize pool", new SQLException(message, state));

        RedisOmBatchException classified = Failures.classify(failure);

        assertThat(classified.failure()).isEqualTo(Failure.CONFIGURATION);
        assertThat(classified.getMessage()).contains(advice);
        assertThat(Failures.isJobRepositoryOutage(failure)).isFalse();
    }

    @Test
    void aPoolThisProcessClosedOrAnUnknownDatabaseHostIsNoOutage() {
        assertThat(Failures.isJobRepositoryOutage(new CannotCreateTransactionException(
                        "x", new SQLException("HikariDataSource HikariDataSource (job-repository) has been closed."))))
                .isFalse();
        assertThat(Failures.isJobRepositoryOutage(new IllegalStateException(new SQLException(
                        "The connection" + " attempt failed.", "08001", new UnknownHostException("db.example")))))
                .isFalse();
    }

    @Test
    void aDescriptionIsOneLineWithoutRepeatsOrSecrets() {
        RuntimeException failure = new IllegalStateException(
                "connect to redis://mig:hunter22@db:6379 failed",
                new RedisConnectionException("Unable to connect\nsecond line", new ConnectException("refused")));

        assertThat(Failures.describe(failure))
                .isEqualTo("connect to redis://mig:***@db:6379 failed: Unable to" + " connect: refused");
    }

    @Test
    void aDescriptionNamesNoJavaClassThatAWrapperPutBeforeItsCausesMessage() {
        SQLException refused = new SQLException("FATAL: password authentication failed for user \"batch\"");
        RuntimeException pool = new RuntimeException("Failed to initialize pool: " + refused.getMessage(), refused);

        assertThat(Failures.describe(new IllegalStateException(pool)))
                .isEqualTo("Failed to initialize pool: FATAL: password authentication failed for user \"batch\"");
    }

    @Test
    void redactionMasksPasswordsInUrlsAndKnownSecrets() {
        assertThat(Redaction.mask("redis://:pw123@h:1 and rediss://user:p%40ss@h:2/0"))
                .isEqualTo("redis://:***@h:1 and rediss://user:***@h:2/0");
        assertThat(Redaction.mask("jdbc:h2:file:x;USER=a;PASSWORD=topsecret;MODE=x"))
                .isEqualTo("jdbc:h2:file:x;USER=a;PASSWORD=***;MODE=x");
        assertThat(Redaction.mask("jdbc:postgresql://h/db?user=a&password=topsecret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&ssl=true");
        // Passwords not URL-encoded: no part of them is shown (seen: redis://:***@:/%pw@127.0.0.1:7711).
        assertThat(Redaction.mask("--redis.url=redis://:S3c@:/%pw@127.0.0.1:7711: not a Redis URL"))
                .isEqualTo("--redis.url=redis://:***@127.0.0.1:7711: not a Redis URL");
        assertThat(Redaction.mask("redis://mig:p@ss/w:rd@h:1 and jdbc:postgresql://u:a@b@h/db"))
                .isEqualTo("redis://mig:***@h:1 and jdbc:postgresql://u:***@h/db");
        assertThat(Redaction.mask("redis://lone@pass@h:1")).isEqualTo("redis://***@h:1");
        assertThat(Redaction.mask("redis://h:1 and redis://mig:***@h:2 and mail@example.com"))
                .isEqualTo("redis://h:1 and redis://mig:***@h:2 and mail@example.com");
        Redaction.registerSecret("registered-secret-value");
        assertThat(Redaction.mask("it said registered-secret-value")).isEqualTo("it said ***");
    }

    @Test
    void aRefusalSuppressedUnderLettucesClusterTopologyFailureIsFoundAndIsPermanent() {
        RedisConnectionException failure = clusterFailure(new RedisCommandExecutionException(
                "NOPERM this user has no permissions to run the 'cluster|nodes' command"));

        assertThat(Failures.isPermanentRedisRefusal(failure)).isTrue();
        assertThat(dev.redisombatch.batch.redis.TransientFaults.isTransient(failure))
                .as("no retry can grant a permission")
                .isFalse();
        assertThat(Failures.isPermanentRedisRefusal(
                        new RedisConnectionException("Unable to establish a connection to Redis Cluster")))
                .as("a cluster that is not there is not refused for good")
                .isFalse();
    }

    @Test
    void aClusterSeedWhoseHostDoesNotResolveIsAnUnknownHostNamedInTheMessageAndNotRetried() {
        RedisConnectionException failure = clusterFailure(new RedisConnectionException(
                "Unable to connect to [nosuchhost.invalid/<unresolved>:7000]",
                new UnknownHostException("Failed to resolve 'nosuchhost.invalid'")));

        RedisOmBatchException classified = Failures.classify(failure);
        assertThat(classified.failure()).isEqualTo(Failure.CONFIGURATION);
        assertThat(classified.getMessage())
                .startsWith("unknown host: Unable to establish a connection to Redis Cluster")
                .contains("Failed to resolve 'nosuchhost.invalid'");
        assertThat(dev.redisombatch.batch.redis.TransientFaults.isTransient(failure))
                .as("no retry resolves a name that does not exist")
                .isFalse();
    }

    @Test
    void oneSeedThatDoesNotResolveWhileTheOthersRefuseIsNotAConfigurationFault() {
        RedisConnectionException failure = clusterFailure(
                new RedisConnectionException(
                        "Unable to connect to [node-0.redis/<unresolved>:6379]",
                        new UnknownHostException("Failed to resolve 'node-0.redis'")),
                new RedisConnectionException(
                        "Unable to connect to [127.0.0.1:7001]", new ConnectException("Connection refused")));

        assertThat(Failures.classify(failure).failure()).isEqualTo(Failure.UNAVAILABLE);
        assertThat(dev.redisombatch.batch.redis.TransientFaults.isTransient(failure))
                .as("a cluster restarting may come back")
                .isTrue();
    }

    @Test
    void aTlsHandshakeEverySeedFailedIsATlsFaultWithItsAdvice() {
        RedisConnectionException failure = clusterFailure(new RedisConnectionException(
                "Unable to connect to [127.0.0.1:7000]", new SSLException("handshake timed out after 10000ms")));

        RedisOmBatchException classified = Failures.classify(failure);
        assertThat(classified.failure()).isEqualTo(Failure.CONFIGURATION);
        assertThat(classified.getMessage())
                .startsWith("TLS handshake with Redis failed")
                .contains("handshake timed out")
                .contains("use redis:// for it");
    }

    /**
     * As Lettuce reports a cluster it could not reach: each seed's failure suppressed under "Cannot retrieve cluster
     * partitions", itself the cause of "Unable to establish a connection".
     */
    private static RedisConnectionException clusterFailure(Throwable... seedFailures) {
        io.lettuce.core.RedisException partitions =
                new io.lettuce.core.RedisException("Cannot retrieve cluster partitions from [the seeds]");
        for (Throwable seedFailure : seedFailures) {
            partitions.addSuppressed(seedFailure);
        }
        return new RedisConnectionException("Unable to establish a connection to Redis Cluster", partitions);
    }
}
