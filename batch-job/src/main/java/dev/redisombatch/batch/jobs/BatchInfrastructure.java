package dev.redisombatch.batch.jobs;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.infrastructure.support.DatabaseType;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Spring Batch's job repository on the configured database, and the operator that starts, restarts and recovers
 * jobs. Built directly, only by the commands that need it: a command that touches no job history opens no database.
 * The tables are created when they are missing, and only then.
 */
public final class BatchInfrastructure implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final DataSourceTransactionManager transactionManager;
    private final JobRepository jobRepository;
    private final JobOperator jobOperator;

    private BatchInfrastructure(
            HikariDataSource dataSource,
            DataSourceTransactionManager transactionManager,
            JobRepository jobRepository,
            JobOperator jobOperator) {
        this.dataSource = dataSource;
        this.transactionManager = transactionManager;
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
    }

    /** @param connections pool size: one per partition thread plus a few for the job itself */
    public static BatchInfrastructure open(JobRepositorySettings settings, int connections) {
        HikariDataSource dataSource = pool(settings, connections, "job-repository");
        try {
            createTablesWhenMissing(dataSource, "BATCH_JOB_INSTANCE", BatchInfrastructure::batchSchema);
            numberWithoutGapsOnH2(dataSource);
            DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
            JdbcJobRepositoryFactoryBean repositoryFactory = new JdbcJobRepositoryFactoryBean();
            repositoryFactory.setDataSource(dataSource);
            repositoryFactory.setTransactionManager(transactionManager);
            repositoryFactory.afterPropertiesSet();
            JobRepository jobRepository = repositoryFactory.getObject();
            TaskExecutorJobOperator jobOperator = new TaskExecutorJobOperator();
            jobOperator.setJobRepository(jobRepository);
            jobOperator.setJobRegistry(new MapJobRegistry());
            jobOperator.afterPropertiesSet();
            return new BatchInfrastructure(dataSource, transactionManager, jobRepository, jobOperator);
        } catch (Exception e) {
            dataSource.close();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    /** A connection pool on the job repository's database. */
    public static HikariDataSource pool(JobRepositorySettings settings, int connections, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.connectionUrl());
        // Only when given: a URL may carry its own (H2's ;USER=...;PASSWORD=...), and H2 refuses both at once.
        if (!settings.username().isEmpty()) {
            config.setUsername(settings.username());
        }
        String password = settings.effectivePassword();
        if (!password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(connections);
        config.setPoolName(name);
        // Fail at once on a database that cannot be reached: the error names the URL and the cause.
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    /**
     * Once the run has given up on an unreachable job repository ({@code --job-repository.outage-timeout}): what it
     * still records on its way out (its steps failed) fails within a quarter of a second instead of waiting 10 s for a
     * connection each time, so the run ends close to the timeout it was given.
     */
    public void failFast() {
        dataSource.setConnectionTimeout(250);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public PlatformTransactionManager transactionManager() {
        return transactionManager;
    }

    public JobRepository jobRepository() {
        return jobRepository;
    }

    public JobOperator jobOperator() {
        return jobOperator;
    }

    private static String batchSchema(DatabaseType type) {
        String platform = switch (type) {
            case POSTGRES -> "postgresql";
            case HSQL -> "hsqldb";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
        return "org/springframework/batch/core/schema-" + platform + ".sql";
    }

    /**
     * Runs a library's own DDL for this database, once, when its tables are not there ({@code probe} names one of
     * them). On PostgreSQL, where several processes (a manager and its workers) may start at once on an empty
     * database, under an advisory lock, so that one creates the tables and the others then find them.
     *
     * @param script the DDL's classpath location for a database type
     */
    public static void createTablesWhenMissing(
            DataSource dataSource, String probe, Function<DatabaseType, String> script) throws SQLException {
        DatabaseType type;
        try {
            type = DatabaseType.fromMetaData(dataSource);
        } catch (Exception e) {
            throw new SQLException("cannot tell which database this is: " + e.getMessage(), e);
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean locked = type == DatabaseType.POSTGRES;
            if (locked) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_advisory_lock(" + DDL_LOCK + ")");
                }
            }
            try {
                if (!hasTable(connection, probe)) {
                    ScriptUtils.executeSqlScript(connection, new ClassPathResource(script.apply(type)));
                }
            } finally {
                if (locked) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SELECT pg_advisory_unlock(" + DDL_LOCK + ")");
                    }
                }
            }
        }
    }

    /**
     * H2 hands out sequence values 32 at a time and loses the ones unused when the process ends without closing the
     * database (a kill, a container stopped), so execution numbers went 1, 33, 72, 105; without a cache they count
     * 1, 2, 3, at the cost of one write per new instance, execution or step. Set at every start: databases created by
     * earlier versions get it too.
     */
    private static void numberWithoutGapsOnH2(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
                return;
            }
            for (String sequence : BATCH_SEQUENCES) {
                statement.execute("ALTER SEQUENCE " + sequence + " NO CACHE");
            }
        }
    }

    static final List<String> BATCH_SEQUENCES =
            List.of("BATCH_JOB_INSTANCE_SEQ", "BATCH_JOB_EXECUTION_SEQ", "BATCH_STEP_EXECUTION_SEQ");

    /** The advisory lock id under which this tool creates tables on PostgreSQL (any number others do not use). */
    private static final long DDL_LOCK = 0x7265646973L;

    /** Whether the connection's own schema has the table (another schema's, on the same database, does not count). */
    private static boolean hasTable(Connection connection, String table) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        for (String name : new String[] {table, table.toLowerCase(Locale.ROOT)}) {
            try (ResultSet tables =
                    metaData.getTables(connection.getCatalog(), connection.getSchema(), name, new String[] {"TABLE"})) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
