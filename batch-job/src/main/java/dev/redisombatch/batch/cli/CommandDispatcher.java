package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.demo.DemoUsers;
import dev.redisombatch.batch.plan.AppliedMigrations;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.TransientFaults;
import io.lettuce.core.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/** Runs the job the command line chose and turns its outcome into an exit code. */
@Component
public class CommandDispatcher {

    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

    private final CommandLineOptions options;
    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final PlatformTransactionManager transactionManager;

    public CommandDispatcher(CommandLineOptions options, JobRepository jobRepository, JobOperator jobOperator,
            PlatformTransactionManager transactionManager) {
        this.options = options;
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.transactionManager = transactionManager;
    }

    public ExitCode run() {
        try (RedisEndpoint redis = new RedisEndpoint(options.redisUri(), options.redisTimeout(),
                new TransientFaults(options.redisRetries()))) {
            return switch (options.job()) {
                case migrateData -> migrateData(redis);
                case generateDemoData -> generateDemoData(redis);
            };
        } catch (RedisException e) {
            log.error("Redis at {} failed: {}. Nothing is lost: run the same command again to resume.",
                    options.redisUri().getHost() + ":" + options.redisUri().getPort(), RedisFailures.describe(e));
            return ExitCode.JOB_FAILED;
        } catch (Exception e) {
            throw new IllegalStateException("the job could not be started: " + e.getMessage(), e);
        }
    }

    private ExitCode migrateData(RedisEndpoint redis) throws Exception {
        AppliedMigrations applied = new AppliedMigrations(redis);
        DataMigrationLauncher launcher = new DataMigrationLauncher(jobRepository, jobOperator, transactionManager,
                applied);
        return new MigrateDataCommand(options, redis, launcher, applied).run();
    }

    private ExitCode generateDemoData(RedisEndpoint redis) {
        long started = System.nanoTime();
        long written = DemoUsers.write(redis, options.count(), options.seed());
        double seconds = (System.nanoTime() - started) / 1e9;
        log.info("wrote {} demo users under {}* to {} in {} s", written, DemoUsers.KEY_PREFIX, redis.target(),
                String.format("%.1f", seconds));
        return ExitCode.SUCCESS;
    }
}
