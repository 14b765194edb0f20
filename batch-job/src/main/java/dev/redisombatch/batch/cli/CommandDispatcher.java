package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.data.DataMigrationLauncher;
import dev.redisombatch.batch.data.DataMigrationRun;
import dev.redisombatch.batch.data.ErrorBudget;
import dev.redisombatch.batch.data.ExecutionProgress;
import dev.redisombatch.batch.demo.DemoUsers;
import dev.redisombatch.batch.ops.MetricsExport;
import dev.redisombatch.batch.ops.MigrationSkeleton;
import dev.redisombatch.batch.ops.RunLease;
import dev.redisombatch.batch.ops.StopSignal;
import dev.redisombatch.batch.plan.AppliedMigrations;
import dev.redisombatch.batch.plan.AppliedMigrations.ApplicationRecord;
import dev.redisombatch.batch.plan.MigrationCatalog;
import dev.redisombatch.batch.plan.MigrationPlanner;
import dev.redisombatch.batch.plan.PlanException;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.TransientFaults;
import dev.redisombatch.batch.schema.SchemaMigrationLauncher;
import dev.redisombatch.batch.schema.SchemaState;
import dev.redisombatch.batch.schema.SearchCommands;
import dev.redisombatch.migration.DataMigration;
import io.lettuce.core.RedisException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private final StopSignal stop;
    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final PlatformTransactionManager transactionManager;

    public CommandDispatcher(CommandLineOptions options, StopSignal stop, JobRepository jobRepository,
            JobOperator jobOperator, PlatformTransactionManager transactionManager) {
        this.options = options;
        this.stop = stop;
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.transactionManager = transactionManager;
    }

    /** A command that needs the migrations found and the applied set read. */
    @FunctionalInterface
    private interface PlannedCommand {
        ExitCode run(Map<String, DataMigration> known, Set<String> applied) throws Exception;
    }

    public ExitCode run() {
        if (options.job() == CommandLineOptions.Job.create) {
            return create();
        }
        MetricsExport metrics;
        try {
            metrics = MetricsExport.create(options.metricsOtlpUrl(), options.metricsPushgateway(),
                    options.metricsStep());
        } catch (RuntimeException e) {
            log.error("--metrics.otlp.url / --metrics.pushgateway: {}", e.getMessage());
            return ExitCode.USAGE;
        }
        try (metrics; RedisEndpoint redis = new RedisEndpoint(options.redisUri(), options.redisTimeout(),
                new TransientFaults(options.redisRetries()))) {
            MeterRegistry registry = metrics.registry();
            AppliedMigrations applied = new AppliedMigrations(redis);
            DataMigrationLauncher launcher = new DataMigrationLauncher(jobRepository, jobOperator,
                    transactionManager, applied);
            boolean writes = !options.dryRun();
            return switch (options.job()) {
                case status -> planned(applied, new StatusCommand(options, applied,
                        new ExecutionProgress(jobRepository), System.out)::run);
                case verify -> planned(applied, new VerifyCommand(options, redis, applied)::run);
                case migrateData -> locked(redis, writes, lease -> {
                    ExitCode schema = schemaMigrations(redis, command -> command.run());
                    return schema != ExitCode.SUCCESS ? schema : planned(applied,
                            new MigrateDataCommand(options, launcher, runs(redis, lease, registry))::run);
                });
                case migrateSchema -> locked(redis, writes && options.command().writes(),
                        lease -> schemaMigrations(redis, MigrateSchemaCommand::execute));
                case rollback -> locked(redis, writes, lease -> planned(applied,
                        new RollbackCommand(options, launcher, runs(redis, lease, registry))::run));
                case stamp -> locked(redis, true, lease -> planned(applied, new StampCommand(options, applied)::run));
                case generateDemoData -> generateDemoData(redis);
                case create -> throw new IllegalStateException("handled above");
            };
        } catch (RunLease.LeaseHeldException e) {
            log.error("{}. Wait for it to finish; if its process is gone, its lock expires within {} s (or use"
                    + " --force-unlock when you are sure).", e.getMessage(), options.lockTtl().toSeconds());
            return ExitCode.LOCKED;
        } catch (RedisException e) {
            if (stop.isRequested()) {
                log.error("stopped: {}", RedisFailures.describe(e));
                return ExitCode.STOPPED;
            }
            log.error("Redis at {} failed: {}. Nothing is lost: run the same command again to resume.",
                    options.redisUri().getHost() + ":" + options.redisUri().getPort(), RedisFailures.describe(e));
            return ExitCode.JOB_FAILED;
        } catch (Exception e) {
            throw new IllegalStateException(options.job() + " failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface SchemaCall {
        ExitCode run(MigrateSchemaCommand command) throws Exception;
    }

    private ExitCode schemaMigrations(RedisEndpoint redis, SchemaCall call) throws Exception {
        SchemaState state = new SchemaState(redis);
        try (SearchCommands search = new SearchCommands(redis)) {
            return call.run(new MigrateSchemaCommand(options, state, search,
                    new SchemaMigrationLauncher(jobRepository, jobOperator, transactionManager, state), stop,
                    System.out));
        }
    }

    private DataMigrationRun.Factory runs(RedisEndpoint redis, RunLease lease, MeterRegistry registry) {
        return new DataMigrationRun.Factory(redis, options.dataStepSettings(), new ErrorBudget(options.maxErrors()),
                lease == null ? () -> { } : lease::checkHeld, stop, registry);
    }

    @FunctionalInterface
    private interface LeasedCommand {
        ExitCode run(RunLease leaseOrNull) throws Exception;
    }

    /** Runs {@code command} holding the run lock when it writes; the lock is taken before anything is read. */
    private ExitCode locked(RedisEndpoint redis, boolean needsLock, LeasedCommand command) throws Exception {
        if (!needsLock) {
            return command.run(null);
        }
        try (RunLease lease = RunLease.acquire(redis, options.job().name(), options.lockTtl(),
                options.forceUnlock())) {
            return command.run(lease);
        }
    }

    private ExitCode planned(AppliedMigrations applied, PlannedCommand command) throws Exception {
        Map<String, DataMigration> known;
        Set<String> appliedIds;
        try {
            known = MigrationCatalog.discover(builtIns(applied), options.migrationJars(),
                    getClass().getClassLoader());
            appliedIds = applied.ids();
            MigrationPlanner.pending(known, appliedIds);
        } catch (IllegalArgumentException e) {
            log.error("{}", e.getMessage());
            return ExitCode.USAGE;
        } catch (PlanException e) {
            log.error("cannot plan the migrations: {}", e.getMessage());
            return ExitCode.PLAN;
        }
        return command.run(known, appliedIds);
    }

    /**
     * The datetime migration as the options configure it, or, without options, as it was configured when it was
     * applied (its record keeps that), so that status and verify need not be given the options again.
     */
    private List<DataMigration> builtIns(AppliedMigrations applied) {
        if (!options.datetimeKeys().isEmpty()) {
            return List.of(new DatetimeFieldsToTimestamps(options.datetimeKeys(), options.datetimeFields(),
                    options.datetimeZone()));
        }
        Map<String, String> configuration = new java.util.HashMap<>();
        String prefix = ApplicationRecord.CONFIGURATION_PREFIX;
        applied.record(DatetimeFieldsToTimestamps.ID).forEach((field, value) -> {
            if (field.startsWith(prefix)) {
                configuration.put(field.substring(prefix.length()), value);
            }
        });
        return DatetimeFieldsToTimestamps.fromConfiguration(configuration).<List<DataMigration>>map(List::of)
                .orElse(List.of());
    }

    private ExitCode create() {
        try {
            MigrationSkeleton.Result created = MigrationSkeleton.write(options.dir(), options.name(),
                    Clock.systemUTC());
            log.info("created {} in {}, registered in {}; build it with mvn package and pass the jar with"
                    + " --migrations.jars", created.id(), created.source(), created.registration());
            return ExitCode.SUCCESS;
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.error("{}", e.getMessage());
            return ExitCode.USAGE;
        } catch (java.io.IOException e) {
            log.error("--dir={}: {}", options.dir(), e.getMessage());
            return ExitCode.USAGE;
        }
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
