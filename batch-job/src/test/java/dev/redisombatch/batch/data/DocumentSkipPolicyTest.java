package dev.redisombatch.batch.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;

class DocumentSkipPolicyTest {

    private final DocumentRejectedException rejected = new DocumentRejectedException("user:1", "bad", null);

    @Test
    void failModeNeverSkips() {
        ErrorBudget budget = ErrorBudget.unlimited();
        DocumentSkipPolicy policy = new DocumentSkipPolicy(FailureMode.FAIL, budget);
        assertFalse(policy.shouldSkip(rejected, 0));
        assertFalse(policy.shouldSkip(rejected, -1));
        assertEquals(0, budget.spent());
    }

    static Stream<Throwable> otherFailures() {
        return Stream.of(new IllegalStateException("engine bug"), new io.lettuce.core.RedisConnectionException("down"),
                new RuntimeException(new DocumentRejectedException("user:1", "wrapped", null)));
    }

    @ParameterizedTest
    @MethodSource("otherFailures")
    void neverSkipsAnythingButARejectedDocument(Throwable failure) {
        ErrorBudget budget = ErrorBudget.unlimited();
        DocumentSkipPolicy policy = new DocumentSkipPolicy(FailureMode.LOG_AND_SKIP, budget);
        assertFalse(policy.shouldSkip(failure, 0));
        assertFalse(policy.shouldSkip(failure, -1));
        assertEquals(0, budget.spent());
    }

    @ParameterizedTest
    @EnumSource(value = FailureMode.class, names = {"SKIP", "LOG_AND_SKIP"})
    void probingWithMinusOneDoesNotSpendTheBudget(FailureMode mode) {
        ErrorBudget budget = new ErrorBudget(1);
        DocumentSkipPolicy policy = new DocumentSkipPolicy(mode, budget);
        for (int i = 0; i < 5; i++) {
            assertTrue(policy.shouldSkip(rejected, -1));
        }
        assertEquals(0, budget.spent());
        assertTrue(policy.shouldSkip(rejected, 0));
        assertEquals(1, budget.spent());
    }

    @ParameterizedTest
    @EnumSource(value = FailureMode.class, names = {"SKIP", "LOG_AND_SKIP"})
    void skipsWithinTheBudgetThenStops(FailureMode mode) {
        int maxErrors = 3;
        ErrorBudget budget = new ErrorBudget(maxErrors);
        DocumentSkipPolicy policy = new DocumentSkipPolicy(mode, budget);
        for (int i = 0; i < maxErrors; i++) {
            assertTrue(policy.shouldSkip(rejected, i));
        }
        assertThrows(SkipLimitExceededException.class, () -> policy.shouldSkip(rejected, maxErrors));
        assertTrue(budget.isExhausted());
        assertThrows(ErrorBudget.ErrorBudgetExhaustedException.class, budget::checkNotExhausted);
        assertFalse(policy.shouldSkip(rejected, -1), "no more item-by-item scans once the budget is spent");
    }

    @Test
    void theBudgetIsSharedByEveryPartitionsPolicy() {
        ErrorBudget budget = new ErrorBudget(2);
        DocumentSkipPolicy one = new DocumentSkipPolicy(FailureMode.SKIP, budget);
        DocumentSkipPolicy other = new DocumentSkipPolicy(FailureMode.SKIP, budget);
        assertTrue(one.shouldSkip(rejected, 0));
        assertTrue(other.shouldSkip(rejected, 0));
        assertThrows(SkipLimitExceededException.class, () -> one.shouldSkip(rejected, 1));
        assertThrows(ErrorBudget.ErrorBudgetExhaustedException.class, budget::checkNotExhausted);
    }
}
