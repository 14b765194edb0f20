package dev.redisombatch.batch.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchInfrastructureTest {

    @TempDir
    Path work;

    @Test
    void h2SequencesKeepNoCacheSoAKilledProcessLeavesNoGapInExecutionNumbers() throws Exception {
        String url = "jdbc:h2:file:" + work.resolve("repo");
        BatchInfrastructure infrastructure = BatchInfrastructure.open(JobRepositorySettings.of(url), 2);
        infrastructure.close();

        Map<String, Long> caches = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT SEQUENCE_NAME, CACHE FROM INFORMATION_SCHEMA.SEQUENCES")) {
            while (rows.next()) {
                caches.put(rows.getString(1), rows.getLong(2));
            }
        }

        assertThat(caches).containsKeys(BatchInfrastructure.BATCH_SEQUENCES.toArray(String[]::new));
        BatchInfrastructure.BATCH_SEQUENCES.forEach(
                sequence -> assertThat(caches.get(sequence)).as(sequence).isEqualTo(1));
    }
}
