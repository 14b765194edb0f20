package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.data.DataStepSettings;
import dev.redisombatch.batch.data.FailureMode;
import dev.redisombatch.batch.data.PartitionCount;
import dev.redisombatch.batch.schema.ReplaceMode;
import io.lettuce.core.RedisURI;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Every command-line option, parsed and checked before anything connects anywhere. */
@Command(name = "java -jar redis-om-batch.jar", sortOptions = false, usageHelpAutoWidth = true,
        customSynopsis = "java -jar redis-om-batch.jar [--job=NAME] [OPTION...]",
        description = {"Runs Redis OM schema and data migrations at scale as restartable Spring Batch jobs.",
            "Exit codes: 0 done or nothing pending; 1 failed, rerun the same command to resume;",
            "2 bad option or configuration, or no search module for schema migrations;",
            "3 migrations cannot be planned (or a schema file is invalid or edited);",
            "4 documents failed under --failure-mode=fail or past --max-errors; 5 another run holds the lock;",
            "6 stopped by SIGTERM, rerun to resume; 7 status --check / verify found something.", ""})
public final class CommandLineOptions {

    /** The jobs this tool runs. */
    public enum Job {
        migrateData, migrateSchema, status, verify, rollback, stamp, create, generateDemoData
    }

    /** What {@code --job=migrateSchema} does. */
    public enum SchemaCommand {
        status, run, create, rollback;

        /** Whether it changes Redis, and so takes the run lock. */
        public boolean writes() {
            return this == run || this == rollback;
        }
    }

    @Option(names = "--job", defaultValue = "migrateData", paramLabel = "NAME",
            description = "migrateData (default; schema migrations first, then data), migrateSchema, status, verify,"
                    + " rollback, stamp, create or generateDemoData.")
    Job job;

    @Option(names = "--command", defaultValue = "run", paramLabel = "COMMAND",
            description = "migrateSchema: status, run (default), create or rollback.")
    SchemaCommand command;

    @Option(names = "--migrations-dir", paramLabel = "DIR",
            description = "Root of schema-migrations/ and models/ (default: $REDIS_OM_MIGRATIONS_DIR, else migrations).")
    Path migrationsDir;

    @Option(names = "--schema.mode", paramLabel = "MODE",
            description = "recreate or zero-downtime: how indexes are replaced, over each file's own mode"
                    + " (default: the file's mode, else zero-downtime).")
    String schemaMode;

    @Option(names = "--schema.wait-timeout", defaultValue = "3600", paramLabel = "SECONDS",
            description = "How long to wait for an index to be built before failing; a rerun keeps waiting"
                    + " (default ${DEFAULT-VALUE}).")
    int schemaWaitTimeoutSeconds;

    @Option(names = "--schema.allow-edited", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            paramLabel = "BOOL", description = "Run although applied schema migration files were edited since.")
    boolean schemaAllowEdited;

    @Option(names = "--redis.url", defaultValue = "redis://127.0.0.1:6379", paramLabel = "URL",
            description = "Redis to migrate, redis://[user:password@]host:port[/db] (default ${DEFAULT-VALUE}).")
    String redisUrl;

    @Option(names = "--redis.timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "Reply timeout of one Redis call (default ${DEFAULT-VALUE}).")
    int redisTimeoutSeconds;

    @Option(names = "--redis.retries", defaultValue = "8", paramLabel = "N",
            description = "Retries, with backoff up to 5 s, of a Redis call that failed transiently:"
                    + " connection lost, timeout, LOADING, BUSY (default ${DEFAULT-VALUE}).")
    int redisRetries;

    @Option(names = "--job-repository.url", defaultValue = "jdbc:h2:file:./redis-om-batch-repository/jobs",
            paramLabel = "JDBC_URL", description = "Where progress is kept, any JDBC URL (default ${DEFAULT-VALUE}).")
    String jobRepositoryUrl;

    @Option(names = "--job-repository.username", defaultValue = "", paramLabel = "USER",
            description = "User for the job repository database (default none).")
    String jobRepositoryUsername;

    @Option(names = "--job-repository.password", defaultValue = "", paramLabel = "PASSWORD",
            description = "Password for the job repository database (default none).")
    String jobRepositoryPassword;

    @Option(names = "--migrations.jars", split = ",", paramLabel = "PATH",
            description = "Jars, or folders of jars, holding migrations registered for ServiceLoader.")
    List<Path> migrationJars = List.of();

    @Option(names = "--partitions", defaultValue = "16", paramLabel = "N",
            description = "SCAN slices per key pattern, a power of two; fewer on a small keyspace (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
            description = "Partitions worked on at once (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--chunk-size", defaultValue = "1000", paramLabel = "N",
            description = "Documents per chunk: one pipelined write and one checkpoint (default ${DEFAULT-VALUE}).")
    int chunkSize;

    @Option(names = "--scan-count", defaultValue = "1000", paramLabel = "N",
            description = "SCAN COUNT, keys per page (default ${DEFAULT-VALUE}).")
    int scanCount;

    @Option(names = "--failure-mode", defaultValue = "log_and_skip", paramLabel = "MODE",
            description = "fail, skip or log_and_skip (default ${DEFAULT-VALUE}): what a document that cannot be"
                    + " migrated does.")
    String failureMode;

    @Option(names = "--max-errors", paramLabel = "N",
            description = "Documents the whole run may skip; one more stops it (default: no limit).")
    Long maxErrors;

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = "true", defaultValue = "false", paramLabel = "BOOL",
            description = "Read and transform, write nothing; report what would change.")
    boolean dryRun;

    @Option(names = "--limit", paramLabel = "N", description = "Run at most N pending migrations.")
    Integer limit;

    @Option(names = "--datetime.keys", split = ",", paramLabel = "PATTERN",
            description = "Switches on 001_datetime_fields_to_timestamps for keys matching these patterns.")
    List<String> datetimeKeys = List.of();

    @Option(names = "--datetime.fields", split = ",", paramLabel = "FIELD",
            description = "Fields that 001_datetime_fields_to_timestamps converts.")
    List<String> datetimeFields = List.of();

    @Option(names = "--datetime.zone", defaultValue = "UTC", paramLabel = "ZONE",
            description = "Zone of naive datetimes and dates (default ${DEFAULT-VALUE}).")
    String datetimeZone;

    @Option(names = "--skip-log.capacity", defaultValue = "10000", paramLabel = "N",
            description = "Skipped keys kept per migration in redis-om-batch:skipped:<id> (default ${DEFAULT-VALUE}).")
    long skipLogCapacity;

    @Option(names = "--progress.interval", defaultValue = "5", paramLabel = "SECONDS",
            description = "Seconds between progress lines (default ${DEFAULT-VALUE}).")
    int progressIntervalSeconds;

    @Option(names = "--migration", paramLabel = "ID",
            description = "rollback, stamp: the migration to roll back or to mark applied.")
    String migration;

    @Option(names = "--all", arity = "0..1", fallbackValue = "true", defaultValue = "false", paramLabel = "BOOL",
            description = "stamp: mark every pending migration applied.")
    boolean all;

    @Option(names = "--detailed", arity = "0..1", fallbackValue = "true", defaultValue = "false", paramLabel = "BOOL",
            description = "status: add description, dependencies, canRun and whether down exists.")
    boolean detailed;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "status: text (default) or json.")
    String format;

    @Option(names = "--check", arity = "0..1", fallbackValue = "true", defaultValue = "false", paramLabel = "BOOL",
            description = "status: exit 7 when anything is pending (a CI gate).")
    boolean check;

    @Option(names = "--check-data", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            paramLabel = "BOOL", description = "verify: also run applied migrations over their keys, writing nothing,"
                    + " and count documents they would still change.")
    boolean checkData;

    @Option(names = "--sample", paramLabel = "N",
            description = "verify --check-data: look at N documents per migration instead of all.")
    Long sample;

    @Option(names = "--name", paramLabel = "NAME", description = "create: the new migration's name, snake_case.")
    String name;

    @Option(names = "--dir", defaultValue = "migrations", paramLabel = "DIR",
            description = "create: the Maven project to write the migration into (default ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--lock.ttl", defaultValue = "30", paramLabel = "SECONDS",
            description = "Lifetime of the run's lock, renewed every third of it; a killed run's lock expires"
                    + " after this (default ${DEFAULT-VALUE}).")
    int lockTtlSeconds;

    @Option(names = "--force-unlock", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            paramLabel = "BOOL", description = "Remove another run's lock first. Only when that run is known to be"
                    + " dead: otherwise two runs write at once.")
    boolean forceUnlock;

    @Option(names = "--metrics.otlp.url", paramLabel = "URL",
            description = "Push metrics over OTLP/HTTP to this URL, e.g. http://collector:4318/v1/metrics.")
    String metricsOtlpUrl;

    @Option(names = "--metrics.pushgateway", paramLabel = "HOST:PORT",
            description = "Push metrics to this Prometheus Pushgateway (job redis-om-batch).")
    String metricsPushgateway;

    @Option(names = "--metrics.step", defaultValue = "10", paramLabel = "SECONDS",
            description = "Seconds between metric pushes; a last push happens at the end (default ${DEFAULT-VALUE}).")
    int metricsStepSeconds;

    @Option(names = "--count", defaultValue = "100000", paramLabel = "N",
            description = "generateDemoData: users to write (default ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "generateDemoData: random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    private RedisURI redisUri;

    /** @throws UsageException with one line naming the bad option */
    public static CommandLineOptions parse(String... args) {
        CommandLineOptions options = new CommandLineOptions();
        CommandLine commandLine = new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(false);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        if (!options.help) {
            options.validate();
        }
        return options;
    }

    public static String usage() {
        StringWriter text = new StringWriter();
        new CommandLine(new CommandLineOptions()).usage(new PrintWriter(text));
        return text.toString();
    }

    private void validate() {
        if (!PartitionCount.isPowerOfTwo(partitions) || partitions > 65536) {
            throw new UsageException("--partitions=" + partitions + ": must be a power of two from 1 to 65536");
        }
        requireAtLeast("--threads", threads, 1);
        requireAtLeast("--chunk-size", chunkSize, 1);
        requireAtLeast("--scan-count", scanCount, 1);
        requireAtLeast("--redis.timeout", redisTimeoutSeconds, 1);
        requireAtLeast("--redis.retries", redisRetries, 0);
        requireAtLeast("--skip-log.capacity", skipLogCapacity, 1);
        requireAtLeast("--progress.interval", progressIntervalSeconds, 1);
        requireAtLeast("--count", count, 0);
        if (maxErrors != null) {
            requireAtLeast("--max-errors", maxErrors, 0);
        }
        if (limit != null) {
            requireAtLeast("--limit", limit, 1);
        }
        if (sample != null) {
            requireAtLeast("--sample", sample, 1);
        }
        requireAtLeast("--lock.ttl", lockTtlSeconds, 3);
        requireAtLeast("--schema.wait-timeout", schemaWaitTimeoutSeconds, 1);
        schemaMode();
        if (job == Job.migrateSchema && command == SchemaCommand.rollback && (migration == null || migration.isBlank())) {
            throw new UsageException("--job=migrateSchema --command=rollback needs --migration=ID");
        }
        if (job == Job.migrateSchema && command == SchemaCommand.create && (name == null || name.isBlank())) {
            throw new UsageException("--job=migrateSchema --command=create needs --name=NAME");
        }
        requireAtLeast("--metrics.step", metricsStepSeconds, 1);
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format=" + format + ": expected text or json");
        }
        if ((job == Job.rollback || (job == Job.stamp && !all)) && (migration == null || migration.isBlank())) {
            throw new UsageException("--job=" + job + " needs --migration=ID" + (job == Job.stamp ? " or --all" : ""));
        }
        if (job == Job.create && (name == null || name.isBlank())) {
            throw new UsageException("--job=create needs --name=NAME");
        }
        failureMode();
        redisUri = parseRedisUrl(redisUrl);
        if (!jobRepositoryUrl.startsWith("jdbc:") || jobRepositoryUrl.length() <= "jdbc:x:".length()) {
            throw new UsageException("--job-repository.url=" + jobRepositoryUrl + ": not a JDBC URL (jdbc:...)");
        }
        if (jobRepositoryUrl.startsWith("jdbc:h2:mem:")) {
            throw new UsageException("--job-repository.url=" + jobRepositoryUrl
                    + ": an in-memory repository forgets every checkpoint at exit; use a file or a server");
        }
        if (datetimeKeys.isEmpty() != datetimeFields.isEmpty()) {
            throw new UsageException("--datetime.keys and --datetime.fields go together: give both or neither");
        }
        datetimeZone();
    }

    /** Lettuce accepts nearly anything (a missing host becomes part of the host name), so check the shape first. */
    private static RedisURI parseRedisUrl(String url) {
        String problem;
        try {
            java.net.URI uri = new java.net.URI(url);
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
                problem = "expected redis:// or rediss://";
            } else if (uri.getHost() == null) {
                problem = "no host, or a port that is not a number from 1 to 65535";
            } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
                problem = "port " + uri.getPort() + " is out of range";
            } else if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().matches("/\\d{1,5}")) {
                problem = "the path must be a database number, like /0";
            } else {
                return RedisURI.create(url);
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            problem = e.getMessage();
        }
        throw new UsageException("--redis.url=" + url + ": not a Redis URL (" + problem
                + "; expected redis://[user:password@]host:port[/db])");
    }

    private static void requireAtLeast(String option, long value, long minimum) {
        if (value < minimum) {
            throw new UsageException(option + "=" + value + ": must be at least " + minimum);
        }
    }

    public Job job() {
        return job;
    }

    public SchemaCommand command() {
        return command;
    }

    /** --migrations-dir, else $REDIS_OM_MIGRATIONS_DIR as Redis OM Python reads it, else ./migrations. */
    public Path migrationsDir() {
        if (migrationsDir != null) {
            return migrationsDir;
        }
        String fromEnvironment = System.getenv("REDIS_OM_MIGRATIONS_DIR");
        return Path.of(fromEnvironment == null || fromEnvironment.isBlank() ? "migrations" : fromEnvironment);
    }

    /** The mode given on the command line, over every file's; empty when not given. */
    public java.util.Optional<ReplaceMode> schemaMode() {
        if (schemaMode == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(ReplaceMode.of(schemaMode).orElseThrow(() -> new UsageException(
                "--schema.mode=" + schemaMode + ": expected recreate or zero-downtime")));
    }

    public Duration schemaWaitTimeout() {
        return Duration.ofSeconds(schemaWaitTimeoutSeconds);
    }

    public boolean schemaAllowEdited() {
        return schemaAllowEdited;
    }

    public Duration progressInterval() {
        return Duration.ofSeconds(progressIntervalSeconds);
    }

    public RedisURI redisUri() {
        return redisUri;
    }

    public Duration redisTimeout() {
        return Duration.ofSeconds(redisTimeoutSeconds);
    }

    public int redisRetries() {
        return redisRetries;
    }

    public boolean helpRequested() {
        return help;
    }

    public List<Path> migrationJars() {
        return migrationJars;
    }

    public FailureMode failureMode() {
        try {
            return FailureMode.valueOf(failureMode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--failure-mode=" + failureMode + ": expected one of "
                    + Arrays.stream(FailureMode.values()).map(FailureMode::cliName).toList());
        }
    }

    public ZoneId datetimeZone() {
        try {
            return ZoneId.of(datetimeZone);
        } catch (java.time.DateTimeException e) {
            throw new UsageException("--datetime.zone=" + datetimeZone + ": not a time zone (e.g. UTC, Europe/Paris)");
        }
    }

    public List<String> datetimeKeys() {
        return datetimeKeys;
    }

    public List<String> datetimeFields() {
        return datetimeFields;
    }

    /** No limit is Long.MAX_VALUE. */
    public long maxErrors() {
        return maxErrors == null ? Long.MAX_VALUE : maxErrors;
    }

    public int limit() {
        return limit == null ? Integer.MAX_VALUE : limit;
    }

    public String jobRepositoryUrl() {
        return jobRepositoryUrl;
    }

    public String metricsOtlpUrl() {
        return metricsOtlpUrl;
    }

    public String metricsPushgateway() {
        return metricsPushgateway;
    }

    public Duration metricsStep() {
        return Duration.ofSeconds(metricsStepSeconds);
    }

    public String migration() {
        return migration;
    }

    public boolean all() {
        return all;
    }

    public boolean detailed() {
        return detailed;
    }

    public boolean json() {
        return format.equals("json");
    }

    public boolean check() {
        return check;
    }

    public boolean checkData() {
        return checkData;
    }

    /** Documents to look at per migration; Long.MAX_VALUE for all. */
    public long sample() {
        return sample == null ? Long.MAX_VALUE : sample;
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public Duration lockTtl() {
        return Duration.ofSeconds(lockTtlSeconds);
    }

    public boolean forceUnlock() {
        return forceUnlock;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public long count() {
        return count;
    }

    public long seed() {
        return seed;
    }

    public DataStepSettings dataStepSettings() {
        return new DataStepSettings(partitions, threads, chunkSize, scanCount, failureMode(), dryRun,
                skipLogCapacity, progressInterval());
    }

    /** Spring properties that follow from the options (the job repository's data source). */
    public Map<String, Object> springProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        // H2 closes a database in its own shutdown hook; a run stopping on SIGTERM still needs it to save checkpoints.
        boolean h2 = jobRepositoryUrl.startsWith("jdbc:h2:") && !jobRepositoryUrl.contains("DB_CLOSE_ON_EXIT");
        properties.put("spring.datasource.url", h2 ? jobRepositoryUrl + ";DB_CLOSE_ON_EXIT=FALSE" : jobRepositoryUrl);
        properties.put("spring.datasource.username", jobRepositoryUsername);
        properties.put("spring.datasource.password", jobRepositoryPassword);
        // Each partition thread holds a connection for its chunk transaction; a few more serve the job itself.
        properties.put("spring.datasource.hikari.maximum-pool-size", threads + 4);
        return properties;
    }
}
