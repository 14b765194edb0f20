package dev.redisombatch.batch.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.batch.core.job.JobInterruptedException;

/** One place classifies every failure: which are permanent, which transient, and which exit code each gets. */
class FailuresTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "WRONGPASS invalid username-password pair or user is disabled. | authentication failed",
        "NOAUTH Authentication required.                              | authentication failed",
        "NOPERM User mig has no permissions to run the 'info' command   | lacks a permission",
        "ERR DB index is out of range                                  | no such database",
        "ERR unknown command 'FT.INFO', with args beginning with:       | does not know a command"})
    void permanentRedisRefusalsAreConfigurationErrorsThatSayWhatToFix(String reply, String advice) {
        RuntimeException failure = new RedisConnectionException("Unable to connect to 127.0.0.1:6379",
                new RedisCommandExecutionException(reply));

        RedisOmBatchException classified = Failures.classify(failure);

        assertThat(classified.failure()).isEqualTo(Failure.CONFIGURATION);
        assertThat(classified.failure().exitCode()).isEqualTo(2);
        assertThat(classified.getMessage()).contains(reply.strip()).contains(advice);
        assertThat(Failures.isPermanentRedisRefusal(failure)).isTrue();
    }

    @Test
    void aRefusedConnectionIsUnavailableNotAConfigurationError() {
        RuntimeException failure = new RedisConnectionException("Unable to connect to 127.0.0.1:1",
                new ConnectException("Connection refused"));

        assertThat(Failures.classify(failure).failure()).isEqualTo(Failure.UNAVAILABLE);
        assertThat(Failures.classify(failure).failure().exitCode()).isEqualTo(1);
        assertThat(Failures.isPermanentRedisRefusal(failure)).isFalse();
    }

    @Test
    void tlsAndUnknownHostsArePermanent() {
        assertThat(Failures.classify(new RedisConnectionException("x", new SSLHandshakeException("PKIX path")))
                .failure()).isEqualTo(Failure.CONFIGURATION);
        assertThat(Failures.classify(new RedisConnectionException("x", new UnknownHostException("nohost")))
                .failure()).isEqualTo(Failure.CONFIGURATION);
    }

    @Test
    void oursWinsWhereverItIsInTheChainAndStopsAreStops() {
        RedisOmBatchException ours = new RedisOmBatchException(Failure.DATA, "user:1: bad");
        assertThat(Failures.classify(new IllegalStateException("wrapped", ours))).isSameAs(ours);
        assertThat(Failures.classify(new IllegalStateException(new JobInterruptedException("stop"))).failure())
                .isEqualTo(Failure.STOPPED);
        assertThat(Failures.classify(new IllegalStateException(new SQLException("Database may be already in use")))
                .failure()).isEqualTo(Failure.LOCKED);
        assertThat(Failures.classify(new IllegalStateException(new SQLException("no route"))).failure())
                .isEqualTo(Failure.CONFIGURATION);
        assertThat(Failures.classify(new IllegalStateException("a bug")).failure()).isEqualTo(Failure.INTERRUPTED);
    }

    @Test
    void aDescriptionIsOneLineWithoutRepeatsOrSecrets() {
        RuntimeException failure = new IllegalStateException("connect to redis://mig:hunter22@db:6379 failed",
                new RedisConnectionException("Unable to connect\nsecond line", new ConnectException("refused")));

        assertThat(Failures.describe(failure)).isEqualTo("connect to redis://mig:***@db:6379 failed: Unable to"
                + " connect: refused");
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
}
