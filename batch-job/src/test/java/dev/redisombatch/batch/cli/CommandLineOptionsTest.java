package dev.redisombatch.batch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.batch.data.DataStepSettings;
import dev.redisombatch.batch.data.FailureMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineOptionsTest {

    @Test
    void defaults() {
        CommandLineOptions options = CommandLineOptions.parse();
        assertEquals(CommandLineOptions.Job.migrateData, options.job());
        assertEquals("127.0.0.1", options.redisUri().getHost());
        assertEquals(6379, options.redisUri().getPort());
        assertEquals(0, options.redisUri().getDatabase());
        assertEquals(Duration.ofSeconds(10), options.redisTimeout());
        assertEquals(8, options.redisRetries());
        assertEquals(List.of(), options.migrationJars());
        assertEquals(new DataStepSettings(16, 2, 1000, 1000, FailureMode.LOG_AND_SKIP, false, 10_000,
                Duration.ofSeconds(5)), options.dataStepSettings());
        assertEquals(Long.MAX_VALUE, options.maxErrors());
        assertEquals(Integer.MAX_VALUE, options.limit());
        assertEquals(List.of(), options.datetimeKeys());
        assertEquals(List.of(), options.datetimeFields());
        assertEquals(ZoneId.of("UTC"), options.datetimeZone());
        assertFalse(options.helpRequested());
        // H2 must outlive the JVM's shutdown hooks, so that a run stopping on SIGTERM can save its checkpoints.
        assertEquals("jdbc:h2:file:./redis-om-batch-repository/jobs;DB_CLOSE_ON_EXIT=FALSE",
                options.springProperties().get("spring.datasource.url"));
        assertEquals("jdbc:h2:file:/x;DB_CLOSE_ON_EXIT=TRUE", CommandLineOptions.parse(
                "--job-repository.url=jdbc:h2:file:/x;DB_CLOSE_ON_EXIT=TRUE").springProperties()
                .get("spring.datasource.url"));
    }

    @Test
    void readsEveryOption() {
        CommandLineOptions options = CommandLineOptions.parse("--job=generateDemoData",
                "--redis.url=redis://redis.example:6380/3", "--redis.timeout=30", "--redis.retries=0",
                "--migrations.jars=a.jar,lib", "--partitions=64", "--threads=8", "--chunk-size=500",
                "--scan-count=200", "--failure-mode=fail", "--max-errors=10", "--limit=2", "--dry-run",
                "--datetime.keys=user:*,order:*", "--datetime.fields=created_at", "--datetime.zone=Europe/Paris",
                "--skip-log.capacity=5", "--progress.interval=1", "--count=7", "--seed=1");
        assertEquals(CommandLineOptions.Job.generateDemoData, options.job());
        assertEquals("redis.example", options.redisUri().getHost());
        assertEquals(6380, options.redisUri().getPort());
        assertEquals(3, options.redisUri().getDatabase());
        assertEquals(Duration.ofSeconds(30), options.redisTimeout());
        assertEquals(0, options.redisRetries());
        assertEquals(List.of(Path.of("a.jar"), Path.of("lib")), options.migrationJars());
        assertEquals(new DataStepSettings(64, 8, 500, 200, FailureMode.FAIL, true, 5, Duration.ofSeconds(1)),
                options.dataStepSettings());
        assertEquals(10, options.maxErrors());
        assertEquals(2, options.limit());
        assertEquals(List.of("user:*", "order:*"), options.datetimeKeys());
        assertEquals(List.of("created_at"), options.datetimeFields());
        assertEquals(ZoneId.of("Europe/Paris"), options.datetimeZone());
        assertEquals(7, options.count());
        assertEquals(1, options.seed());
    }

    @ParameterizedTest
    @CsvSource({"--dry-run, true", "--dry-run=true, true", "--dry-run=false, false"})
    void dryRunIsAFlagOrABoolean(String arg, boolean dryRun) {
        assertEquals(dryRun, CommandLineOptions.parse(arg).dataStepSettings().dryRun());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fail", "skip", "log_and_skip", "LOG_AND_SKIP"})
    void acceptsEveryFailureMode(String mode) {
        assertEquals(FailureMode.valueOf(mode.toUpperCase()),
                CommandLineOptions.parse("--failure-mode=" + mode).failureMode());
    }

    @Test
    void springPropertiesCarryTheJobRepository() {
        Map<String, Object> properties = CommandLineOptions.parse("--job-repository.url=jdbc:postgresql://db/batch",
                "--job-repository.username=batch", "--job-repository.password=secret", "--threads=6")
                .springProperties();
        assertEquals("jdbc:postgresql://db/batch", properties.get("spring.datasource.url"));
        assertEquals("batch", properties.get("spring.datasource.username"));
        assertEquals("secret", properties.get("spring.datasource.password"));
        assertTrue((Integer) properties.get("spring.datasource.hikari.maximum-pool-size") > 6,
                "a connection per thread and some for the job");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--nope                                | --nope",
            "--partitions=6                        | --partitions",
            "--partitions=0                        | --partitions",
            "--partitions=131072                   | --partitions",
            "--chunk-size=-5                       | --chunk-size",
            "--threads=0                           | --threads",
            "--threads=two                         | --threads",
            "--scan-count=0                        | --scan-count",
            "--max-errors=-1                       | --max-errors",
            "--limit=0                             | --limit",
            "--redis.url=http//bad                 | --redis.url",
            "--redis.url=redis://:99999999         | --redis.url",
            "--redis.url=redis://localhost:99999999 | --redis.url",
            "--redis.url=redis://                  | --redis.url",
            "--job-repository.url=notjdbc          | --job-repository.url",
            "--job-repository.url=jdbc:            | --job-repository.url",
            "--job-repository.url=jdbc:h2:mem:x    | --job-repository.url",
            "--failure-mode=explode                | --failure-mode",
            "--datetime.keys=x                     | --datetime.keys",
            "--datetime.fields=created_at          | --datetime.fields",
            "--datetime.zone=Mars/Base             | --datetime.zone",
            "--job=nope                            | --job",
            "--command=drop                        | --command",
            "--schema.mode=blue-green              | --schema.mode",
            "--schema.wait-timeout=0               | --schema.wait-timeout",
    })
    void rejectsABadOptionNamingIt(String arg, String option) {
        UsageException e = assertThrows(UsageException.class, () -> CommandLineOptions.parse(arg));
        assertTrue(e.getMessage().contains(option), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void schemaOptions() {
        CommandLineOptions defaults = CommandLineOptions.parse("--job=migrateSchema");
        assertEquals(CommandLineOptions.SchemaCommand.run, defaults.command());
        assertEquals(java.util.Optional.empty(), defaults.schemaMode());
        assertEquals(Duration.ofHours(1), defaults.schemaWaitTimeout());
        assertFalse(defaults.schemaAllowEdited());
        if (System.getenv("REDIS_OM_MIGRATIONS_DIR") == null) {
            assertEquals(Path.of("migrations"), defaults.migrationsDir());
        }

        CommandLineOptions given = CommandLineOptions.parse("--job=migrateSchema", "--command=rollback",
                "--migration=20261101_000000_x", "--migrations-dir=/srv/m", "--schema.mode=recreate",
                "--schema.wait-timeout=60", "--schema.allow-edited");
        assertEquals(CommandLineOptions.SchemaCommand.rollback, given.command());
        assertEquals(Path.of("/srv/m"), given.migrationsDir());
        assertEquals(java.util.Optional.of(dev.redisombatch.batch.schema.ReplaceMode.RECREATE), given.schemaMode());
        assertEquals(Duration.ofSeconds(60), given.schemaWaitTimeout());
        assertTrue(given.schemaAllowEdited());

        assertTrue(assertThrows(UsageException.class, () -> CommandLineOptions.parse("--job=migrateSchema",
                "--command=rollback")).getMessage().contains("--migration=ID"));
        assertTrue(assertThrows(UsageException.class, () -> CommandLineOptions.parse("--job=migrateSchema",
                "--command=create")).getMessage().contains("--name=NAME"));
    }

    @Test
    void helpSkipsValidation() {
        assertTrue(CommandLineOptions.parse("--help", "--partitions=6").helpRequested());
        assertTrue(CommandLineOptions.usage().contains("--datetime.zone"));
    }
}
