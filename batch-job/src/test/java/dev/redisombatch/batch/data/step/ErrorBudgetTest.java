package dev.redisombatch.batch.data.step;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.batch.data.store.DocumentRejectedException;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorBudgetTest {

    private final DocumentRejectedException failure = new DocumentRejectedException("user:1", "bad");

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 3})
    void allowsExactlyTheBudgetThenThrowsADataFailureAndStopsEveryone(long maxErrors) {
        ErrorBudget budget = new ErrorBudget(maxErrors);
        for (int i = 0; i < maxErrors; i++) {
            budget.spend(failure);
        }
        assertDoesNotThrow(budget::checkNotExhausted);
        assertEquals(maxErrors, budget.spent());

        RedisOmBatchException exceeded = assertThrows(RedisOmBatchException.class, () -> budget.spend(failure));
        assertEquals(Failure.DATA, exceeded.failure());
        assertSame(failure, exceeded.getCause());
        assertTrue(exceeded.getMessage().contains("--max-errors=" + maxErrors), exceeded.getMessage());
        assertEquals(maxErrors + 1, budget.spent());
        RedisOmBatchException stop = assertThrows(RedisOmBatchException.class, budget::checkNotExhausted);
        assertEquals(Failure.DATA, stop.failure());
        assertTrue(stop.getMessage().contains("--max-errors=" + maxErrors), stop.getMessage());
    }

    @Test
    void spentStopsCountingOnePastTheBudget() {
        ErrorBudget budget = new ErrorBudget(1);
        budget.spend(failure);
        for (int i = 0; i < 3; i++) {
            assertThrows(RedisOmBatchException.class, () -> budget.spend(failure));
        }
        assertEquals(2, budget.spent());
    }

    @Test
    void anUnlimitedBudgetNeverRunsOut() {
        ErrorBudget budget = ErrorBudget.unlimited();
        for (int i = 0; i < 10_000; i++) {
            budget.spend(failure);
        }
        assertDoesNotThrow(budget::checkNotExhausted);
        assertEquals(10_000, budget.spent());
    }
}
