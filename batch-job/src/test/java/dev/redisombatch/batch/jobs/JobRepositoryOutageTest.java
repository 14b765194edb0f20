package dev.redisombatch.batch.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

/** A job repository that blinks is waited for within the limit; anything else is not waited for at all. */
class JobRepositoryOutageTest {

    private static RuntimeException refused() {
        return new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction",
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001"));
    }

    @Test
    void callsThroughAnOutageUntilTheRepositoryAnswers() {
        JobRepositoryOutage outage = new JobRepositoryOutage("test", Duration.ofHours(1));
        AtomicInteger calls = new AtomicInteger();

        String result = outage.call(
                () -> {
                    if (calls.incrementAndGet() < 3) {
                        throw refused();
                    }
                    return "opened";
                },
                () -> false);

        assertThat(result).isEqualTo("opened");
        assertThat(calls).hasValue(3);
        assertThat(outage.ongoing()).isFalse();
    }

    @Test
    void anOutagePastTheLimitIsResumableAndAnythingElseIsNotWaitedFor() {
        JobRepositoryOutage outage = new JobRepositoryOutage("test", Duration.ofMillis(300));
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException bug = new IllegalStateException("a bug");

        assertThatThrownBy(() -> outage.call(
                        () -> {
                            calls.incrementAndGet();
                            throw refused();
                        },
                        () -> false))
                .isInstanceOfSatisfying(RedisOmBatchException.class, failure -> {
                    assertThat(failure.failure()).isEqualTo(Failure.REPOSITORY_UNAVAILABLE);
                    assertThat(failure.getMessage())
                            .contains("--job-repository.outage-timeout")
                            .contains("refused");
                });
        assertThat(calls.get()).isGreaterThan(1);
        assertThatThrownBy(() -> new JobRepositoryOutage("test", Duration.ZERO)
                        .call(
                                () -> {
                                    throw bug;
                                },
                                () -> false))
                .isSameAs(bug);
    }

    @Test
    void anOutageStartsWhenItsFirstFailedCallBeganAndGivingUpRunsTheHookOnce() {
        AtomicInteger givenUp = new AtomicInteger();
        JobRepositoryOutage outage = new JobRepositoryOutage("test", Duration.ofSeconds(5), givenUp::incrementAndGet);
        long tenSecondsAgo = System.nanoTime() - Duration.ofSeconds(10).toNanos();

        // One call that waited 10 s for a connection before it failed: past the 5 s limit already.
        assertThatThrownBy(() -> outage.failed(refused(), tenSecondsAgo))
                .isInstanceOfSatisfying(
                        RedisOmBatchException.class,
                        failure -> assertThat(failure.failure()).isEqualTo(Failure.REPOSITORY_UNAVAILABLE));
        assertThat(givenUp).hasValue(1);

        JobRepositoryOutage withinTheLimit =
                new JobRepositoryOutage("test", Duration.ofSeconds(5), givenUp::incrementAndGet);
        withinTheLimit.failed(refused(), System.nanoTime());
        assertThat(withinTheLimit.ongoing()).isTrue();
        assertThat(givenUp).hasValue(1);
    }

    @Test
    void withoutALimitAnOutageIsWaitedForEverAndAStopEndsTheWait() {
        JobRepositoryOutage outage = new JobRepositoryOutage("test", Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            outage.failed(refused());
        }
        assertThat(outage.ongoing()).isTrue();
        outage.answered();
        assertThat(outage.ongoing()).isFalse();

        RuntimeException failure = refused();
        assertThatThrownBy(() -> outage.call(
                        () -> {
                            throw failure;
                        },
                        () -> true))
                .isSameAs(failure);
    }
}
