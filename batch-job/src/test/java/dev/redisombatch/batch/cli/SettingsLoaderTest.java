package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.redisombatch.batch.command.Configuration;
import dev.redisombatch.batch.data.step.FailureMode;
import dev.redisombatch.batch.data.store.WriteMode;
import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.schema.ReplaceMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The settings from each source Spring Boot reads, their precedence, and one-line errors that say where. */
class SettingsLoaderTest {

    @TempDir
    Path dir;

    private static final String[] RUN = {
        "--job=status",
        "--redis.url=redis://10.0.0.1:6380/2",
        "--threads=4",
        "--partitions=64",
        "--failure-mode=fail",
        "--max-errors=10",
        "--write-mode=overwrite",
        "--lock.ttl=45",
        "--schema.mode=recreate",
        "--datetime.keys=:app.models.User:*",
        "--datetime.fields=created_at,updated_at",
        "--progress.interval=2m"
    };

    @Test
    void theDefaultsAreTheNamedOnes() {
        Settings settings = Cli.readSettings(Map.of());

        assertThat(settings.job().job()).isEqualTo(JobOptions.Job.migrateData);
        assertThat(settings.configuration())
                .isEqualTo(Configuration.defaults(
                        "redis://127.0.0.1:6379", "jdbc:h2:file:./redis-om-batch-repository/jobs"));
    }

    @Test
    void verboseTurnsTheToolsOwnLoggingToDebugAndAnExplicitLevelWins() {
        ch.qos.logback.classic.Logger own =
                ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(LogSetup.OWN_LOGGER);
        Level before = own.getLevel();
        try {
            assertThat(Cli.readSettings(Map.of(), "--verbose").job().verbose()).isTrue();
            assertThat(own.getLevel()).isEqualTo(Level.DEBUG);
            Cli.readSettings(Map.of(), "--verbose", "--logging.level.dev.redisombatch=warn");
            assertThat(own.getLevel()).isEqualTo(Level.WARN);
        } finally {
            own.setLevel(before);
        }
    }

    @Test
    void theSameRunFromTheCommandLineTheEnvironmentAndAFileIsTheSame() throws Exception {
        Settings fromCommandLine = Cli.readSettings(Map.of(), RUN);
        Settings fromEnvironment = Cli.readSettings(environmentFor(RUN));
        Path yaml = Files.writeString(dir.resolve("application.yml"), yamlFor(RUN));
        Settings fromFile = Cli.readSettings(Map.of(), "--spring.config.location=file:" + yaml);

        assertThat(fromCommandLine.configuration().data().threads()).isEqualTo(4);
        assertThat(fromCommandLine.configuration().data().failureMode()).isEqualTo(FailureMode.FAIL);
        assertThat(fromCommandLine.configuration().data().writeMode()).isEqualTo(WriteMode.OVERWRITE);
        assertThat(fromCommandLine.configuration().data().progressInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(fromCommandLine.configuration().lock().ttl()).isEqualTo(Duration.ofSeconds(45));
        assertThat(fromCommandLine.configuration().schema().mode()).isEqualTo(ReplaceMode.RECREATE);
        assertThat(fromCommandLine.configuration().datetime().fields()).containsExactly("created_at", "updated_at");
        assertThat(fromCommandLine.configuration().redis().target()).isEqualTo("10.0.0.1:6380/2");
        assertThat(fromEnvironment).isEqualTo(fromCommandLine);
        assertThat(fromFile).isEqualTo(fromCommandLine);
    }

    @Test
    void theCommandLineWinsOverTheEnvironmentWhichWinsOverAFile() throws Exception {
        Path yaml = Files.writeString(dir.resolve("application.yml"), "threads: 3\nchunk-size: 10\nscan-count: 20\n");
        Settings settings = Cli.readSettings(
                Map.of("REDIS_OM_BATCH_THREADS", "5", "REDIS_OM_BATCH_CHUNK_SIZE", "30"),
                "--spring.config.location=file:" + yaml,
                "--threads=7");

        assertThat(settings.configuration().data().threads()).isEqualTo(7);
        assertThat(settings.configuration().data().chunkSize()).isEqualTo(30);
        assertThat(settings.configuration().data().scanCount()).isEqualTo(20);
    }

    @Test
    void aProfileAddsItsFile() throws Exception {
        Files.writeString(dir.resolve("application.yml"), "threads: 3\n");
        Files.writeString(dir.resolve("application-prod.yml"), "threads: 8\n");
        Settings settings = Cli.readSettings(
                Map.of(), "--spring.config.location=file:" + dir + "/", "--spring.profiles.active=prod");

        assertThat(settings.configuration().data().threads()).isEqualTo(8);
    }

    @Test
    void secretsComeFromFilesAndConfigTrees() throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("job-repository.password"), "s3cret-from-tree\n");
        Path passwordFile = Files.writeString(dir.resolve("redis-password"), "from-file\n");
        Settings settings = Cli.readSettings(
                Map.of(),
                "--spring.config.import=configtree:" + secrets + "/",
                "--redis.password-file=" + passwordFile);

        assertThat(settings.configuration().jobRepository().password()).isEqualTo("s3cret-from-tree");
        assertThat(new String(settings.configuration().redis().uri().getPassword()))
                .isEqualTo("from-file");
    }

    @Test
    void anUnknownKeyIsAnErrorWhereverItComesFromAndSuggestsTheNearestOption() throws Exception {
        assertThat(failure(Map.of(), "--treads=4"))
                .hasMessageContaining("--treads: unknown option (did you mean" + " --threads?)");
        assertThat(failure(Map.of("REDIS_OM_BATCH_TREADS", "4")))
                .hasMessageContaining(
                        "REDIS_OM_BATCH_TREADS (environment): unknown option (did you mean REDIS_OM_BATCH_THREADS?)");
        Path yaml = Files.writeString(dir.resolve("application.yml"), "threads: 4\nchunk-sise: 5\n");
        assertThat(failure(Map.of(), "--spring.config.location=file:" + yaml))
                .hasMessageContaining("application.yml:2: chunk-sise=5: unknown option (did you mean --chunk-size?)");
        assertThat(failure(Map.of(), "positional")).hasMessageContaining("not an option");
    }

    @Test
    void aBadValueNamesWhereItCameFrom() throws Exception {
        assertThat(failure(Map.of(), "--threads=0")).hasMessage("--threads=0: must be at least 1");
        assertThat(failure(Map.of("REDIS_OM_BATCH_THREADS", "0")))
                .hasMessage("REDIS_OM_BATCH_THREADS=0 (environment): must be at least 1");
        Path yaml = Files.writeString(dir.resolve("application.yml"), "job: status\nthreads: 0\n");
        assertThat(failure(Map.of(), "--spring.config.location=file:" + yaml))
                .hasMessageContaining("application.yml:2: threads=0: must be at least 1");
        assertThat(failure(Map.of("REDIS_OM_BATCH_THREADS", "4\n5")))
                .hasMessage("REDIS_OM_BATCH_THREADS=4\\u000a5 (environment): expected a whole number");
        assertThat(failure(Map.of(), "--chunk-size=1 000")).hasMessage("--chunk-size=1 000: expected a whole number");
        assertThat(failure(Map.of(), "--max-errors=7x")).hasMessage("--max-errors=7x: expected a whole number");
        // A whole number all the same, too large for its option: "expected a whole number" alone was a riddle.
        assertThat(failure(Map.of(), "--threads=99999999999999"))
                .hasMessage("--threads=99999999999999: expected a whole number no larger than 2147483647");
        assertThat(failure(Map.of(), "--max-errors=-99999999999999999999"))
                .hasMessage("--max-errors=-99999999999999999999: expected a whole number no smaller than"
                        + " -9223372036854775808");
        assertThat(Cli.readSettings(Map.of("REDIS_OM_BATCH_THREADS", " 5\n"))
                        .configuration()
                        .data()
                        .threads())
                .as("white space around a number is no garbage")
                .isEqualTo(5);
        assertThat(failure(Map.of(), "--failure-mode=explode"))
                .hasMessage("--failure-mode=explode: expected one of fail, skip, log_and_skip");
        assertThat(failure(Map.of(), "--lock.ttl=soon"))
                .hasMessageContaining("--lock.ttl=soon: expected a number" + " of seconds");
        assertThat(failure(Map.of(), "--partitions=6"))
                .hasMessageContaining("--partitions=6: 6: must be a power of" + " two");
        assertThat(failure(Map.of(), "--job=rollback")).hasMessageContaining("needs --migration=ID");
    }

    @Test
    void desiredFromAndIndexGivenToAJobThatDoesNotReadThemAreRefusedNamingTheOption() {
        String reference = "--desired-from=redis://reader:S3cret@scratch:6379";
        assertThat(failure(Map.of(), "--job=verify", reference))
                .hasMessage("--desired-from=***: --job=verify does not read it (migrateSchema --command=create or"
                        + " --command=status, and status do)");
        assertThat(failure(Map.of(), "--job=migrateSchema", "--command=run", "--index=users"))
                .hasMessageStartingWith("--index=users: --job=migrateSchema --command=run does not read it");
        assertThat(failure(Map.of("REDIS_OM_BATCH_DESIRED_FROM", "redis://scratch:6379"), "--job=migrateData"))
                .hasMessageStartingWith("REDIS_OM_BATCH_DESIRED_FROM=*** (environment): --job=migrateData does not");
        assertThat(failure(Map.of(), "--job=status", "--index=users"))
                .hasMessage("--index=users: --job=status reads it only with --desired-from");

        for (String[] reads : List.of(
                new String[] {"--job=status", reference, "--index=users"},
                new String[] {"--job=migrateSchema", "--command=status", reference},
                new String[] {"--job=migrateSchema", "--command=create", "--name=x", "--index=users"})) {
            assertThat(Cli.readSettings(Map.of(), reads).job().job()).isNotNull();
        }
    }

    @Test
    void aRedisUrlThatIsNotOneIsRefusedWhenBound() {
        assertThat(failure(Map.of(), "--redis.url=")).hasMessageContaining("--redis.url=: not a Redis URL");
        assertThat(failure(Map.of(), "--redis.url=redis://:6379")).hasMessageContaining("not a Redis URL (no host");
        assertThat(failure(Map.of(), "--redis.url=redis-cluster://h:1/2")).hasMessageContaining("not a cluster URL");
    }

    @Test
    void aConfigurationFileThatIsNotYamlNamesItsFileAndLine() throws Exception {
        Path yaml = Files.writeString(dir.resolve("application.yml"), "job: status\nthreads: 4\n  chunk-size: [1\n");
        RedisOmBatchException failure = failure(Map.of(), "--spring.config.location=file:" + yaml);
        assertThat(failure).hasMessageStartingWith(yaml + ":3: not valid YAML (");
        assertThat(failure.getMessage()).doesNotContain("\n");
        assertThat(failure(Map.of(), "--spring.config.location=file:" + dir.resolve("absent.yml")))
                .hasMessageContaining("absent.yml");
    }

    @Test
    void anEmptyPasswordFileIsRefusedNotSentAsAnEmptyPassword() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        assertThat(failure(Map.of(), "--redis.password-file=" + empty))
                .hasMessageStartingWith("--redis.password-file=" + empty + ": " + empty + ": the file is empty");
        assertThat(failure(Map.of("REDIS_OM_BATCH_JOB_REPOSITORY_PASSWORD_FILE", empty.toString())))
                .hasMessageStartingWith("REDIS_OM_BATCH_JOB_REPOSITORY_PASSWORD_FILE=" + empty + " (environment): "
                        + empty + ": the file is empty");
        Path filled = Files.writeString(dir.resolve("filled"), "s3cret\n");
        assertThat(Cli.readSettings(Map.of(), "--redis.password-file=" + filled)
                        .configuration()
                        .redis()
                        .uri()
                        .getPassword())
                .isEqualTo("s3cret".toCharArray());
    }

    @Test
    void aSecretIsNeverShownInAMessage() {
        assertThat(failure(Map.of(), "--redis.url=redis://mig:TopSecret42@127.0.0.1:99999"))
                .hasMessageContaining("--redis.url=redis://mig:***@127.0.0.1:99999")
                .hasMessageNotContaining("TopSecret42");
        assertThat(failure(Map.of(), "--redis.url=redis://:S3c@:/%pw@127.0.0.1:7711")
                        .getMessage())
                .doesNotContain("S3c")
                .doesNotContain("%pw")
                .contains("redis://:***@127.0.0.1:7711");
        assertThat(failure(Map.of(), "--job-repository.url=h2:file:x;PASSWORD=TopSecret42"))
                .hasMessageNotContaining("TopSecret42");
    }

    private static RedisOmBatchException failure(Map<String, String> environment, String... args) {
        try {
            Cli.readSettings(environment, args);
        } catch (RedisOmBatchException e) {
            assertThat(e.failure()).isEqualTo(Failure.CONFIGURATION);
            return e;
        }
        throw new AssertionError("no failure for " + List.of(args) + " " + environment);
    }

    private static Map<String, String> environmentFor(String... args) {
        Map<String, String> environment = new HashMap<>();
        for (String argument : args) {
            String key = argument.substring(2, argument.indexOf('='));
            environment.put(OptionCatalogue.environmentName(key), argument.substring(argument.indexOf('=') + 1));
        }
        return environment;
    }

    private static String yamlFor(String... args) {
        StringBuilder yaml = new StringBuilder();
        for (String argument : args) {
            String key = argument.substring(2, argument.indexOf('='));
            yaml.append('"')
                    .append(key)
                    .append("\": \"")
                    .append(argument.substring(argument.indexOf('=') + 1))
                    .append("\"\n");
        }
        return yaml.toString();
    }
}
