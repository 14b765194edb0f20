package dev.redisombatch.batch.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the worker step executions out of a job repository with plain JDBC, as an operator would. */
public final class JobRepositoryQueries {

    private JobRepositoryQueries() {}

    /** One partition's execution within one job execution. */
    public record PartitionExecution(
            long jobExecutionId, String name, String status, long read, long written, long filtered, long skipped) {}

    public static List<PartitionExecution> partitionExecutions(String jdbcUrl) throws SQLException {
        List<PartitionExecution> executions = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery(
                                "select JOB_EXECUTION_ID, STEP_NAME, STATUS, READ_COUNT, WRITE_COUNT, FILTER_COUNT,"
                                        + " PROCESS_SKIP_COUNT + WRITE_SKIP_COUNT from BATCH_STEP_EXECUTION"
                                        + " where STEP_NAME like '%:partition:%' order by JOB_EXECUTION_ID, STEP_NAME")) {
            while (rows.next()) {
                executions.add(new PartitionExecution(
                        rows.getLong(1),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getLong(4),
                        rows.getLong(5),
                        rows.getLong(6),
                        rows.getLong(7)));
            }
        }
        return executions;
    }

    public static List<PartitionExecution> ofJobExecution(List<PartitionExecution> all, long jobExecutionId) {
        return all.stream()
                .filter(execution -> execution.jobExecutionId() == jobExecutionId)
                .toList();
    }
}
