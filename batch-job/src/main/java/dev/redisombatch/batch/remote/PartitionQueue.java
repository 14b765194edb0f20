package dev.redisombatch.batch.remote;

import com.zaxxer.hikari.HikariDataSource;
import dev.redisombatch.batch.failure.Redaction;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.jobs.BatchInfrastructure;
import dev.redisombatch.batch.jobs.JobRepositorySettings;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.jdbc.store.channel.PostgresChannelMessageStoreQueryProvider;
import org.springframework.integration.store.MessageGroupQueue;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The queue partition requests travel through from a manager to its workers: a Spring Integration JDBC channel
 * ({@link JdbcChannelMessageStore}) in the PostgreSQL job repository that every process already shares, so it adds
 * no server. A worker takes a request inside a transaction of the queue's own connection pool and keeps that
 * transaction open while it runs the partition: the request is deleted when the partition's run ends, and comes back
 * for another worker when its worker dies first (PostgreSQL rolls back a dead connection's transaction).
 */
public final class PartitionQueue implements AutoCloseable {

    /** The message group that holds the requests. */
    static final String REQUESTS = "redis-om-batch.partition-requests";

    private final HikariDataSource dataSource;
    private final JdbcChannelMessageStore store;
    private final QueueChannel channel;
    private final TransactionTemplate transactions;

    private PartitionQueue(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.store = new JdbcChannelMessageStore(dataSource);
        store.setChannelMessageStoreQueryProvider(new PostgresChannelMessageStoreQueryProvider());
        store.setRegion("redis-om-batch");
        // The requests hold nothing but Spring Batch's StepExecutionRequest: refuse anything else in the table.
        store.addAllowedPatterns(
                "org.springframework.messaging.*",
                "org.springframework.integration.*",
                "org.springframework.batch.integration.partition.StepExecutionRequest",
                "java.util.*",
                "java.lang.*");
        store.afterPropertiesSet();
        this.channel = new QueueChannel(new MessageGroupQueue(store, REQUESTS));
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /**
     * Opens the queue on the job repository's database, creating Spring Integration's tables there when missing.
     *
     * @param connections one per partition a worker runs at once (each holds its request's transaction), or one for
     *        a manager, which only sends
     */
    public static PartitionQueue open(JobRepositorySettings settings, int connections) {
        if (!settings.connectionUrl().startsWith("jdbc:postgresql:")) {
            throw RedisOmBatchException.configuration("--workers=remote and --job=worker need a job repository that"
                    + " every process reaches, on PostgreSQL (--job-repository.url=jdbc:postgresql://host/db), not "
                    + Redaction.mask(settings.url()));
        }
        HikariDataSource dataSource = BatchInfrastructure.pool(settings, connections + 1, "partition-queue");
        try {
            BatchInfrastructure.createTablesWhenMissing(
                    dataSource,
                    "INT_CHANNEL_MESSAGE",
                    type -> "org/springframework/integration/jdbc/schema-postgresql.sql");
            return new PartitionQueue(dataSource);
        } catch (SQLException | RuntimeException e) {
            dataSource.close();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    /** The channel a manager sends its requests to. */
    public QueueChannel channel() {
        return channel;
    }

    /** Requests waiting for a worker. */
    public int waiting() {
        return store.messageGroupSize(REQUESTS);
    }

    /**
     * Runs {@code work} in one transaction of the queue: a request taken from {@link #channel()} in it is gone for
     * good only when it commits.
     */
    <T> T inTransaction(Supplier<T> work) {
        return transactions.execute(status -> work.get());
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
