package dev.redisombatch.batch.data;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;

class ErrorBudgetTest {

    private final RuntimeException failure = new DocumentRejectedException("user:1", "bad", null);

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 3})
    void allowsExactlyTheBudgetThenThrowsAndStopsEveryone(long maxErrors) {
        ErrorBudget budget = new ErrorBudget(maxErrors);
        for (int i = 0; i < maxErrors; i++) {
            budget.spend(failure);
        }
        assertFalse(budget.isExhausted());
        assertDoesNotThrow(budget::checkNotExhausted);
        assertEquals(maxErrors, budget.spent());

        SkipLimitExceededException exceeded = assertThrows(SkipLimitExceededException.class,
                () -> budget.spend(failure));
        assertSame(failure, exceeded.getCause());
        assertTrue(budget.isExhausted());
        assertEquals(maxErrors + 1, budget.spent());
        ErrorBudget.ErrorBudgetExhaustedException stop = assertThrows(
                ErrorBudget.ErrorBudgetExhaustedException.class, budget::checkNotExhausted);
        assertTrue(stop.getMessage().contains("--max-errors=" + maxErrors), stop.getMessage());
    }

    @Test
    void spentStopsCountingOnePastTheBudget() {
        ErrorBudget budget = new ErrorBudget(1);
        budget.spend(failure);
        for (int i = 0; i < 3; i++) {
            assertThrows(SkipLimitExceededException.class, () -> budget.spend(failure));
        }
        assertEquals(2, budget.spent());
    }

    @Test
    void anUnlimitedBudgetNeverRunsOut() {
        ErrorBudget budget = ErrorBudget.unlimited();
        for (int i = 0; i < 10_000; i++) {
            budget.spend(failure);
        }
        assertFalse(budget.isExhausted());
        assertEquals(10_000, budget.spent());
    }
}
