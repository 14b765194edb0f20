package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.results.DataMigrationOutcome;
import dev.redisombatch.batch.results.Results;
import dev.redisombatch.batch.state.Direction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonRendererTest {

    /**
     * A stopped run read some documents in a page it did not finish: JSON says how many, as the text summary does. A
     * run that completed has none, whatever its counts (a record of another tool may lack one).
     */
    @Test
    void anOutcomeCarriesTheDocumentsReadInPagesLeftUnfinished() {
        DocumentCounts stopped = new DocumentCounts(1_000, 600, 250, 30, 2, 20, 0);
        DataMigrationOutcome outcome = new DataMigrationOutcome(
                "001_x",
                Direction.APPLY,
                false,
                "STOPPED",
                7,
                stopped,
                List.of(),
                new RedisOmBatchException(Failure.STOPPED, "stopped at a page boundary"),
                false,
                false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        new JsonRenderer(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .render("rollback", new Results.Rollback("127.0.0.1:6379/0", outcome, null));

        JsonNode rendered = JsonMapper.builder()
                .build()
                .readTree(bytes.toString(StandardCharsets.UTF_8))
                .get("result")
                .get("outcome");
        assertThat(rendered.get("counts").get("read").asLong()).isEqualTo(1_000);
        assertThat(rendered.get("unfinished").asLong()).isEqualTo(100);
        assertThat(rendered.get("counts").has("unfinished")).isFalse();

        DataMigrationOutcome completed = new DataMigrationOutcome(
                "001_x", Direction.APPLY, false, "COMPLETED", 7, stopped, List.of(), null, false, false);
        assertThat(completed.unfinished()).isZero();
    }
}
