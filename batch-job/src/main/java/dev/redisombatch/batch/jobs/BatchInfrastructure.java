package dev.redisombatch.batch.jobs;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.infrastructure.support.DatabaseType;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
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

    private BatchInfrastructure(HikariDataSource dataSource, DataSourceTransactionManager transactionManager,
            JobRepository jobRepository, JobOperator jobOperator) {
        this.dataSource = dataSource;
        this.transactionManager = transactionManager;
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
    }

    /** @param connections pool size: one per partition thread plus a few for the job itself */
    public static BatchInfrastructure open(JobRepositorySettings settings, int connections) {
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
        config.setPoolName("job-repository");
        // Fail at once on a database that cannot be reached: the error names the URL and the cause.
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(10_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            createTablesWhenMissing(dataSource);
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

    /** Spring Batch's own DDL for this database, run once, when its tables are not there. */
    private static void createTablesWhenMissing(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (hasTable(connection.getMetaData(), "BATCH_JOB_INSTANCE")) {
                return;
            }
        }
        DatabaseType type;
        try {
            type = DatabaseType.fromMetaData(dataSource);
        } catch (Exception e) {
            throw new SQLException("cannot tell which database this is: " + e.getMessage(), e);
        }
        String platform = switch (type) {
            case POSTGRES -> "postgresql";
            case HSQL -> "hsqldb";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
        new ResourceDatabasePopulator(new ClassPathResource("org/springframework/batch/core/schema-" + platform
                + ".sql")).execute(dataSource);
    }

    private static boolean hasTable(DatabaseMetaData metaData, String table) throws SQLException {
        for (String name : new String[] {table, table.toLowerCase(Locale.ROOT)}) {
            try (ResultSet tables = metaData.getTables(null, null, name, new String[] {"TABLE"})) {
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
