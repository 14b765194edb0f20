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
    void whatEarlierExecutionsSkippedIsSpentFirst() {
        ErrorBudget budget = new ErrorBudget(3);
        budget.spendEarlier("m1", 2);
        budget.spend(new DocumentRejectedException("k1", "bad"));
        assertThrows(RedisOmBatchException.class, () -> budget.spend(new DocumentRejectedException("k2", "bad")));

        ErrorBudget lowered = new ErrorBudget(1);
        RedisOmBatchException refused = assertThrows(RedisOmBatchException.class, () -> lowered.spendEarlier("m1", 2));
        assertEquals(
                "m1: its earlier executions skipped 2 documents, more than --max-errors=1 allows in one run;"
                        + " fix the data or the migration (XRANGE redis-om-batch:skipped:m1 - + lists them), or raise"
                        + " --max-errors",
                refused.getMessage());
        assertThrows(RedisOmBatchException.class, lowered::checkNotExhausted);
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
