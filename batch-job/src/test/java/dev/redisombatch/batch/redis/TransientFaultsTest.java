package dev.redisombatch.batch.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransientFaultsTest {

    static Stream<Throwable> transientFaults() {
        return Stream.of(
                new RedisConnectionException("Unable to connect to localhost:6379"),
                new RedisCommandTimeoutException("Command timed out after 10 second(s)"),
                new RedisLoadingException("LOADING Redis is loading the dataset in memory"),
                new RedisBusyException("BUSY Redis is busy running a script"),
                new RedisException("Connection closed", new IOException("Connection reset by peer")),
                new RuntimeException(new ConnectException("Connection refused")),
                new RedisCommandExecutionException("TRYAGAIN Multiple keys request during rehashing of slot"),
                new RedisCommandExecutionException("MASTERDOWN Link with MASTER is down"),
                new RedisCommandExecutionException("MOVED 253 127.0.0.1:27102"),
                new RedisCommandExecutionException("ASK 253 127.0.0.1:27102"),
                new RedisException("Connection closed"));
    }

    static Stream<Throwable> permanentFaults() {
        return Stream.of(
                new RedisCommandExecutionException("WRONGTYPE Operation against a key holding the wrong kind of value"),
                new RedisCommandExecutionException("ERR unknown command 'HSETX'"),
                new IllegalArgumentException("bad argument"),
                new RedisException("something else"),
                new RuntimeException(new IllegalStateException("engine bug")));
    }

    @ParameterizedTest
    @MethodSource("transientFaults")
    void recognisesTransientFaults(Throwable failure) {
        assertTrue(TransientFaults.isTransient(failure), failure.toString());
    }

    @ParameterizedTest
    @MethodSource("permanentFaults")
    void recognisesPermanentFaults(Throwable failure) {
        assertFalse(TransientFaults.isTransient(failure), failure.toString());
    }

    @Test
    void retriesTransientFaultsUntilTheCallSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = new TransientFaults(2).call("GET k", () -> {
            if (calls.incrementAndGet() <= 2) {
                throw new RedisConnectionException("connection refused");
            }
            return "value";
        });
        assertEquals("value", result);
        assertEquals(3, calls.get());
    }

    @Test
    void givesUpAfterTheLastRetryWithTheLastFailure() {
        AtomicInteger calls = new AtomicInteger();
        RedisCommandTimeoutException last = new RedisCommandTimeoutException("timed out, last");
        RedisCommandTimeoutException thrown = assertThrows(
                RedisCommandTimeoutException.class,
                () -> new TransientFaults(1).call("GET k", () -> {
                    throw calls.incrementAndGet() < 2 ? new RedisCommandTimeoutException("timed out") : last;
                }));
        assertSame(last, thrown);
        assertEquals(2, calls.get());
    }

    @Test
    void doesNotRetryOtherFailures() {
        AtomicInteger calls = new AtomicInteger();
        RedisCommandExecutionException wrongType = new RedisCommandExecutionException("WRONGTYPE not a hash");
        RedisCommandExecutionException thrown = assertThrows(
                RedisCommandExecutionException.class,
                () -> new TransientFaults(2).call("HGETALL k", () -> {
                    calls.incrementAndGet();
                    throw wrongType;
                }));
        assertSame(wrongType, thrown);
        assertEquals(1, calls.get());
    }
}
