package dev.redisombatch.batch.support;

import static dev.redisombatch.batch.support.ChildProcesses.WAIT;
import static dev.redisombatch.batch.support.ChildProcesses.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.GenericContainer;

/**
 * A throwaway PostgreSQL server for one test class, from the distribution's own binaries:
 * {@code @RegisterExtension static final PostgresServer postgres = new PostgresServer();}, then
 * {@link #jdbcUrl()}, {@link #username()} and {@link #password()} (password authentication, scram-sha-256, over TCP on
 * 127.0.0.1). The class is skipped, with the reason, when no {@code initdb}/{@code pg_ctl}/{@code postgres} is found on
 * the PATH or under {@code /usr/lib/postgresql/<version>/bin} (Debian's {@code postgresql} package;
 * {@code scripts/install-test-deps.sh} installs it).
 *
 * <p>{@code initdb} makes a fresh cluster in a temp folder; {@code postgres} then runs in the foreground as a child of
 * the test JVM (killed by a shutdown hook if the JVM exits first) on a free port, bound to 127.0.0.1 only, its unix
 * socket in the temp folder, so the system's own server (if any) is never touched. It runs without fsync: a crash of
 * the machine loses it, which does not matter for a throwaway. As root (initdb and postgres refuse to run as root),
 * both run as the {@code postgres} OS user via {@code setpriv} (or {@code runuser}), which owns the temp folder.
 * {@link #stop()} and {@link #start()} stop (fast shutdown: sessions are disconnected) and start the same server again,
 * same port and data, for fault tests.
 *
 * <p>Without those binaries, where a Docker engine answers, the server is a PostgreSQL container from Testcontainers
 * published on a fixed port of 127.0.0.1 (so {@link #stop()} and {@link #start()} keep the address); {@link
 * #directory()} is then null. The build machines have no Docker engine: that path is not exercised there.
 */
public final class PostgresServer implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    private static final String SERVER_OS_USER = "postgres";
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(3);

    private final String database;
    private final String username;
    private final String password = randomSecret();
    private final String superuserPassword = randomSecret();
    private String startedBy;
    private Path bin;
    private List<String> asServerUser;
    private Path directory;
    private Path data;
    private Path log;
    private int port;
    private Process process;
    private GenericContainer<?> container;

    /** Database {@code batch}, owned by user {@code batch}. */
    public PostgresServer() {
        this("batch", "batch");
    }

    /** A database of that name, owned by a user of that name (both lower-case SQL identifiers). */
    public PostgresServer(String database, String username) {
        for (String name : List.of(database, username)) {
            if (!IDENTIFIER.matcher(name).matches() || name.equals(SUPERUSER)) {
                throw new IllegalArgumentException("not a plain lower-case identifier (or reserved): " + name);
            }
        }
        this.database = database;
        this.username = username;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return source() instanceof ServerSource.Missing missing
                ? ConditionEvaluationResult.disabled(missing.reason())
                : ConditionEvaluationResult.enabled("a PostgreSQL server can be had");
    }

    private static ServerSource source() {
        return ServerSource.postgres(whyNoLocalServer().orElse(null), Containers.machine());
    }

    private static Optional<String> whyNoLocalServer() {
        if (findBinaries() == null) {
            return Optional.of("PostgreSQL server binaries (initdb, pg_ctl, postgres) are neither on the PATH nor under"
                    + " /usr/lib/postgresql/<version>/bin (apt-get install postgresql; scripts/install-test-deps.sh"
                    + " does it)");
        }
        if (runningAsRoot()) {
            if (!osUserExists(SERVER_OS_USER)) {
                return Optional.of("running as root, and PostgreSQL refuses to run as root, but there is no '"
                        + SERVER_OS_USER + "' OS user to run it as (Debian's postgresql package creates it)");
            }
            if (ChildProcesses.findOnPath("setpriv") == null && ChildProcesses.findOnPath("runuser") == null) {
                return Optional.of("running as root, and neither setpriv nor runuser is there to run PostgreSQL as '"
                        + SERVER_OS_USER + "'");
            }
        }
        return Optional.empty();
    }

    /** The folder holding initdb, pg_ctl and postgres: the PATH's (resolved), else the newest Debian version's. */
    static Path findBinaries() {
        List<Path> candidates = new ArrayList<>();
        Path initdb = ChildProcesses.findOnPath("initdb");
        if (initdb != null) {
            try {
                candidates.add(initdb.toRealPath().getParent());
            } catch (IOException ignored) {
                // a dangling link: try the others
            }
            candidates.add(initdb.getParent());
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.filter(folder -> folder.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .sorted(Comparator.comparing((Path folder) ->
                                        Double.parseDouble(folder.getFileName().toString()))
                                .reversed())
                        .map(folder -> folder.resolve("bin"))
                        .forEach(candidates::add);
            } catch (IOException ignored) {
                // nothing there
            }
        }
        for (Path candidate : candidates) {
            if (Stream.of("initdb", "pg_ctl", "postgres")
                    .allMatch(name -> Files.isExecutable(candidate.resolve(name)))) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean osUserExists(String name) {
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (startedBy != null) {
            return; // a @Nested class of the class that started it
        }
        ServerSource source = source();
        Assumptions.assumeFalse(source instanceof ServerSource.Missing, () -> ((ServerSource.Missing) source).reason());
        startedBy = context.getUniqueId();
        if (source instanceof ServerSource.Container image) {
            port = ServerPorts.free();
            container = Containers.startPostgres(image.image(), port, database, username, password);
            return;
        }
        bin = findBinaries();
        asServerUser = !runningAsRoot()
                ? List.of()
                : ChildProcesses.findOnPath("setpriv") != null
                        ? List.of(
                                ChildProcesses.findOnPath("setpriv").toString(),
                                "--reuid=" + SERVER_OS_USER,
                                "--regid=" + SERVER_OS_USER,
                                "--init-groups",
                                "--")
                        : List.of(ChildProcesses.findOnPath("runuser").toString(), "-u", SERVER_OS_USER, "--");
        directory = Files.createTempDirectory(tempBase(), "postgres-test");
        data = directory.resolve("data");
        log = directory.resolve("postgres.log");
        Path passwordFile = directory.resolve("superuser.pw");
        Files.writeString(passwordFile, superuserPassword + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        Files.createFile(log);
        handOverToServerUser(directory);

        ChildProcesses.Result initdb = ChildProcesses.run(
                command(
                        asServerUser,
                        bin.resolve("initdb"),
                        "-D",
                        data,
                        "-U",
                        SUPERUSER,
                        "--pwfile=" + passwordFile,
                        "--auth=scram-sha-256",
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "--no-sync"),
                directory,
                INITDB_TIMEOUT);
        Files.deleteIfExists(passwordFile);
        initdb.orThrow();

        port = ServerPorts.free();
        for (int attempt = 1; ; attempt++) {
            launch();
            if (awaitReady()) {
                break;
            }
            if (attempt >= 5 || !ChildProcesses.tail(log, 20).contains("could not bind")) {
                throw new IllegalStateException(
                        "postgres exited at start (" + process.exitValue() + ")\n" + diagnostics());
            }
            port = ServerPorts.free(); // someone took the port meanwhile
        }
        try (Connection connection = connect("postgres", SUPERUSER, superuserPassword);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + username + " LOGIN PASSWORD '" + password + "'");
            statement.execute("CREATE DATABASE " + database + " OWNER " + username);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create user and database\n" + diagnostics(), e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (startedBy == null || !startedBy.equals(context.getUniqueId())) {
            return;
        }
        startedBy = null;
        if (container != null) {
            container.stop();
            return;
        }
        stop();
        ChildProcesses.deleteRecursively(directory);
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>} */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String database() {
        return database;
    }

    public int port() {
        return port;
    }

    /** Where the data folder, the unix socket and {@code postgres.log} are. */
    public Path directory() {
        return directory;
    }

    public boolean isRunning() {
        return container != null ? container.isRunning() : process != null && process.isAlive();
    }

    /**
     * Fast shutdown ({@code pg_ctl stop -m fast}: open sessions are disconnected, nothing is lost); returns once the
     * server is gone. Does nothing when it is not running.
     */
    public void stop() {
        if (container != null) {
            Containers.stopKeeping(container);
            return;
        }
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            ChildProcesses.run(
                    command(
                            asServerUser,
                            bin.resolve("pg_ctl"),
                            "stop",
                            "-D",
                            data,
                            "-m",
                            "fast",
                            "-w",
                            "-t",
                            WAIT.toSeconds()),
                    directory,
                    WAIT.plusSeconds(30));
        }
        ChildProcesses.stop(process, Duration.ofSeconds(30));
        process = null;
    }

    /** Starts the server again after {@link #stop()}: same port, same data; returns once it accepts connections. */
    public void start() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException("PostgreSQL is running");
        }
        if (container != null) {
            Containers.startAgain(container);
            awaitContainer();
            return;
        }
        launch();
        if (!awaitReady()) {
            throw new IllegalStateException("postgres exited at start (" + process.exitValue() + ")\n" + diagnostics());
        }
    }

    private void launch() throws IOException {
        List<String> command = command(
                asServerUser,
                bin.resolve("postgres"),
                "-D",
                data,
                "-p",
                port,
                "-c",
                "listen_addresses=" + HOST,
                "-c",
                "unix_socket_directories=" + directory,
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off");
        process = ChildProcesses.startServer(command, directory, log);
    }

    /** True once the superuser can log in over TCP; false if the process exited first. */
    private boolean awaitReady() {
        Process started = process;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (!started.isAlive()) {
                return false;
            }
            try (Connection ignored = connect("postgres", SUPERUSER, superuserPassword)) {
                return true;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL on port " + port + " did not accept connections"
                            + " within " + WAIT.toSeconds() + " s: " + notYet + "\n" + diagnostics());
                }
            }
            ChildProcesses.sleep(100);
        }
    }

    /** Waits until the container's server lets the user in again, after {@link #start()}. */
    private void awaitContainer() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (Connection ignored = connect(database, username, password)) {
                return;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL (container) on port " + port + " did not accept"
                            + " connections within " + WAIT.toSeconds() + " s: " + notYet);
                }
            }
            ChildProcesses.sleep(100);
        }
    }

    private Connection connect(String databaseName, String user, String secret) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", secret);
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "60");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + port + "/" + databaseName, properties);
    }

    private String diagnostics() {
        return "--- " + log + ":\n" + ChildProcesses.tail(log, 30);
    }

    /** java.io.tmpdir, unless the server user could not get into it (then /tmp). */
    private Path tempBase() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        if (asServerUser.isEmpty()) {
            return base;
        }
        try {
            for (Path folder = base.toRealPath(); folder != null; folder = folder.getParent()) {
                if (!Files.getPosixFilePermissions(folder).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return Path.of("/tmp");
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Path.of("/tmp");
        }
        return base;
    }

    /** As root: the server user owns the temp folder and what is in it (the folder stays private to it). */
    private void handOverToServerUser(Path folder) throws IOException {
        if (asServerUser.isEmpty()) {
            return;
        }
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(SERVER_OS_USER);
        GroupPrincipal group;
        try {
            group = lookup.lookupPrincipalByGroupName(SERVER_OS_USER);
        } catch (IOException noSuchGroup) {
            group = null;
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        List<Path> paths = new ArrayList<>(List.of(folder));
        try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
            children.forEach(paths::add);
        }
        for (Path path : paths) {
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(user);
            if (group != null) {
                view.setGroup(group);
            }
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
