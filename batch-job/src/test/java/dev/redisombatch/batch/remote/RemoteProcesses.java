package dev.redisombatch.batch.remote;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.PostgresServer;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * A manager and workers of one test as packaged-jar processes on a job repository of their own (a new schema in the
 * shared PostgreSQL database), the built-in datetime migration over {@link Users}; closing kills what still runs.
 */
final class RemoteProcesses implements AutoCloseable {

    static final String ID = DatetimeFieldsToTimestamps.ID;
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final Path work;
    private final RedisServer redis;
    private final PostgresServer postgres;
    private final String repository;
    private final List<JarProcess> processes = new ArrayList<>();

    RemoteProcesses(Path work, RedisServer redis, PostgresServer postgres) throws SQLException {
        this.work = work;
        this.redis = redis;
        this.postgres = postgres;
        String schema = "remote" + SCHEMAS.incrementAndGet();
        try (Connection connection =
                        DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        repository = postgres.jdbcUrl() + "?currentSchema=" + schema;
    }

    /** The options every process of the test shares, then {@code extra} (which may name another Redis). */
    List<String> common(String... extra) {
        boolean ownRedis = List.of(extra).stream().anyMatch(arg -> arg.startsWith("--redis.url="));
        List<String> args = new ArrayList<>(ownRedis ? List.of() : List.of("--redis.url=" + redis.url()));
        args.addAll(List.of(
                "--job-repository.url=" + repository,
                "--job-repository.username=" + postgres.username(),
                "--job-repository.password=" + postgres.password(),
                "--progress.interval=1"));
        args.addAll(List.of(extra));
        return args;
    }

    JarProcess start(String... args) throws IOException {
        JarProcess process = JarProcess.start(work, common(args).toArray(String[]::new));
        processes.add(process);
        return process;
    }

    JarProcess worker(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--job=worker", "--worker.poll-interval=200ms"));
        args.addAll(List.of(extra));
        return start(args.toArray(String[]::new));
    }

    JarProcess manager(String... extra) throws IOException {
        return start(managerArguments(extra));
    }

    /** A manager run to its end. */
    JarProcess.Finished runManager(String... extra) throws IOException, InterruptedException {
        return JarProcess.run(work, common(managerArguments(extra)).toArray(String[]::new));
    }

    private static String[] managerArguments(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--workers=remote",
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** The exact changed count the run recorded; -1 before it is recorded. */
    long changedInRecord() {
        String changed = redis.commands().hget(MigrationKind.DATA.recordKey(ID), "changed");
        return changed == null ? -1 : Long.parseLong(changed);
    }

    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until {@code process} has printed {@code text}; on timeout, the failure shows what it printed. */
    static void waitFor(JarProcess process, String text) throws InterruptedException, IOException {
        try {
            waitFor("\"" + text + "\"", () -> says(process, text));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the process printed:\n" + process.output(), e);
        }
    }

    private static final Pattern SOME_PARTITION_COMPLETE = Pattern.compile("[1-9][0-9]* of [0-9]+ partitions complete");

    /**
     * Waits until the manager's progress says a partition completed. Any count from 1 up: on a quiet machine
     * several partitions complete between two progress lines.
     */
    static void waitForAPartitionToComplete(JarProcess manager) throws InterruptedException {
        waitFor("a partition to complete", () -> {
            try {
                return SOME_PARTITION_COMPLETE.matcher(manager.output()).find();
            } catch (IOException e) {
                return false;
            }
        });
    }

    static boolean says(JarProcess process, String text) {
        try {
            return process.output().contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (JarProcess process : processes) {
            if (process.isAlive()) {
                process.kill();
            }
        }
    }
}
