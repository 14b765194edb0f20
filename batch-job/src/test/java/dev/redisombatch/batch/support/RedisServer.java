package dev.redisombatch.batch.support;

import dev.redisombatch.batch.redis.CommandName;
import dev.redisombatch.batch.support.ServerSource.RedisNeed;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.GenericContainer;

/**
 * A real {@code redis-server} process on a free loopback port, in a folder of its own, for one test class:
 * {@code @RegisterExtension static final RedisServer redis = new RedisServer();}. The class is skipped, with the
 * reason, when no {@code redis-server} is installed ({@code bash .ci/run} installs Debian's package).
 *
 * <p>{@link #withSearch()} gives a search-capable one: the RediSearch module file named by {@code REDISEARCH_MODULE}
 * loaded into a spawned server, or the throwaway server {@code REDIS_SEARCH_URL} points at (flushed, its indexes
 * dropped). {@link #withJson()} gives a JSON-capable one the same way, from {@code REDISJSON_MODULE} (ReJSON 1.x or
 * RedisJSON 2.x) or {@code REDIS_JSON_URL}. Without either, a Redis 8 container (Testcontainers) where a Docker
 * engine answers, else the class is skipped with that reason ({@link ServerSource} holds the order).
 */
public final class RedisServer implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    private final RedisNeed needs;
    private final boolean shardedBehindOneEndpoint;
    /** The executable of a plain server spawned from another binary than Redis' (Valkey); null for the usual sources. */
    private final ServerBinaries binaries;

    private String externalUrl;
    private String binary;
    private String module;
    private GenericContainer<?> container;
    private Path directory;
    private int port;
    private Process process;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    public RedisServer() {
        this(RedisNeed.PLAIN);
    }

    private RedisServer(RedisNeed needs) {
        this(needs, false);
    }

    private RedisServer(RedisNeed needs, boolean shardedBehindOneEndpoint) {
        this(needs, shardedBehindOneEndpoint, null);
    }

    private RedisServer(RedisNeed needs, boolean shardedBehindOneEndpoint, ServerBinaries binaries) {
        this.needs = needs;
        this.shardedBehindOneEndpoint = shardedBehindOneEndpoint;
        this.binaries = binaries;
    }

    /** A plain server spawned from {@code binaries}' executable ({@code valkey-server}, say), skipped without it. */
    public static RedisServer of(ServerBinaries binaries) {
        return new RedisServer(RedisNeed.PLAIN, false, binaries);
    }

    /**
     * A sharded database behind one endpoint, as Redis Cloud or Software with several shards looks to a client: a
     * cluster-mode server owning all 16,384 slots, addressed as a plain server. Like those, it answers a command or
     * script over keys of several slots with CROSSSLOT, while SCAN and single-key commands work.
     */
    public static RedisServer shardedBehindOneEndpoint() {
        return new RedisServer(RedisNeed.PLAIN, true);
    }

    public static RedisServer withSearch() {
        return new RedisServer(RedisNeed.SEARCH);
    }

    public static RedisServer withJson() {
        return new RedisServer(RedisNeed.JSON);
    }

    /** A server with hash field expiration (Redis 7.4+): the redis-server binary {@code REDIS_HFE_SERVER} names. */
    public static RedisServer withFieldExpiration() {
        return new RedisServer(RedisNeed.FIELD_EXPIRATION);
    }

    /** A server with RediSearch that can index RedisJSON documents: only from {@code REDIS_SEARCH_JSON_URL}. */
    public static RedisServer withSearchOverJson() {
        return new RedisServer(RedisNeed.SEARCH_JSON);
    }

    /** Whether the server is the one a URL variable names rather than one this harness spawned. */
    public boolean external() {
        return externalUrl != null;
    }

    /**
     * Disables the class, with the reason, when what it needs is missing; Surefire and Failsafe then report its tests
     * as skipped with that reason (an assumption failing in beforeAll would only make the class vanish from the count).
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return missing()
                .map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("a Redis to test against is at hand"));
    }

    private Optional<String> missing() {
        if (binaries != null) {
            return binaries.missing();
        }
        return ServerSource.redis(needs, Containers.machine()) instanceof ServerSource.Missing missing
                ? Optional.of(missing.reason())
                : Optional.empty();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (binaries != null) {
            Assumptions.assumeTrue(
                    binaries.missing().isEmpty(), () -> binaries.missing().orElse(""));
            binary = binaries.serverPath().toString();
            directory = Files.createTempDirectory("redis-test");
            port = ServerPorts.free();
            launch();
            return;
        }
        ServerSource source = ServerSource.redis(needs, Containers.machine());
        Assumptions.assumeFalse(source instanceof ServerSource.Missing, () -> ((ServerSource.Missing) source).reason());
        if (source instanceof ServerSource.Url url) {
            externalUrl = url.url();
            useExternal();
            return;
        }
        if (source instanceof ServerSource.Container image) {
            container = Containers.startRedis(image.image());
            externalUrl = "redis://" + container.getHost() + ":" + container.getMappedPort(Containers.REDIS_PORT);
            useExternal();
            return;
        }
        ServerSource.Spawned spawned = (ServerSource.Spawned) source;
        binary = spawned.binary();
        module = spawned.module();
        directory = Files.createTempDirectory("redis-test");
        // A cluster node's bus listens on port + 10000, which must be free too.
        port = shardedBehindOneEndpoint ? ServerPorts.freeWithBus(10000, Set.of()) : ServerPorts.free();
        launch();
    }

    private void configure(RedisClient created) {
        created.setDefaultTimeout(Duration.ofSeconds(30));
        if (needs != RedisNeed.PLAIN) {
            created.setOptions(ClientOptions.builder()
                    .protocolVersion(ProtocolVersion.RESP2)
                    .build());
        }
    }

    private void useExternal() {
        client = RedisClient.create(externalUrl);
        configure(client);
        connection = client.connect();
        connection.sync().flushall();
        if (needs == RedisNeed.SEARCH || needs == RedisNeed.SEARCH_JSON) {
            dropEveryIndex();
        }
    }

    /** FLUSHALL leaves indexes behind (empty); a test starting from nothing needs them gone too. */
    public void dropEveryIndex() {
        for (Object name : search("FT._LIST")) {
            search("FT.DROPINDEX", name.toString());
        }
    }

    /** An FT.* command (over RESP2, as RediSearch 2.x needs), its reply as nested lists of strings and numbers. */
    public List<Object> search(String command, String... arguments) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String argument : arguments) {
            args.add(argument);
        }
        return connection.sync().dispatch(new CommandName(command), new NestedMultiOutput<>(StringCodec.UTF8), args);
    }

    /**
     * Holds every write command of every client, scripts included, for {@code duration} ({@code CLIENT PAUSE ms
     * WRITE}); reads go on. A client whose timeout is shorter sees its write time out, and the write runs later.
     */
    public void pauseWrites(Duration duration) {
        search("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "WRITE");
    }

    /** Commands that would change a server's data or indexes, as {@link #writeCalls()} counts them. */
    private static final List<String> WRITE_COMMANDS = List.of(
            "ft.create",
            "ft.dropindex",
            "ft.alter",
            "ft.aliasadd",
            "ft.aliasupdate",
            "ft.aliasdel",
            "hset",
            "set",
            "del",
            "unlink",
            "sadd",
            "eval",
            "evalsha",
            "flushall",
            "flushdb");

    /** How many times the server ran each command that would change it, by name: to show it was only read. */
    public Map<String, Long> writeCalls() {
        Map<String, Long> calls = new TreeMap<>();
        WRITE_COMMANDS.forEach(command -> calls.put(command, calls(command)));
        return calls;
    }

    /** How many times the server ran {@code command} since it started or since CONFIG RESETSTAT. */
    public long calls(String command) {
        String prefix = "cmdstat_" + command.toLowerCase(Locale.ROOT) + ":calls=";
        return commands()
                .info("commandstats")
                .lines()
                .filter(line -> line.startsWith(prefix))
                .mapToLong(line -> Long.parseLong(line.substring(prefix.length(), line.indexOf(',', prefix.length()))))
                .findFirst()
                .orElse(0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeClient();
        if (container != null) {
            container.stop();
        }
        if (process != null && externalUrl == null) {
            process.destroy();
            waitForExit();
        }
    }

    private void launch() throws IOException {
        // No automatic snapshots, so runs are not slowed by forks; restart() saves explicitly.
        List<String> command = new ArrayList<>(List.of(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                directory.toString(),
                "--logfile",
                "redis.log"));
        if (module != null) {
            command.addAll(
                    List.of("--loadmodule", Path.of(module).toAbsolutePath().toString()));
        }
        if (shardedBehindOneEndpoint) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"));
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("stdout.log").toFile())
                .start();
        client = RedisClient.create("redis://127.0.0.1:" + port);
        configure(client);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                connection = client.connect();
                connection.sync().ping();
                if (shardedBehindOneEndpoint) {
                    ownEverySlot();
                }
                return;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("redis-server did not start on port " + port, notYet);
                }
                sleep(50);
            }
        }
    }

    private void ownEverySlot() {
        if (!connection.sync().clusterInfo().contains("cluster_slots_assigned:16384")) {
            connection
                    .sync()
                    .dispatch(
                            CommandType.CLUSTER,
                            new StatusOutput<>(StringCodec.UTF8),
                            new CommandArgs<>(StringCodec.UTF8)
                                    .add("ADDSLOTSRANGE")
                                    .add(0)
                                    .add(16383));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!connection.sync().clusterInfo().contains("cluster_state:ok")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the one-node cluster did not come up: "
                        + connection.sync().clusterInfo());
            }
            sleep(50);
        }
    }

    public String url() {
        return externalUrl != null ? externalUrl : "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** Saves the dataset, stops the process and starts a new one on the same port: same data, new run_id. */
    public void restart() throws IOException {
        try {
            connection.sync().shutdown(true);
        } catch (RuntimeException expected) {
            // the server closes the connection as it exits
        }
        waitForExit();
        closeClient();
        launch();
    }

    /**
     * Kills the process (kill -9) and starts a new one on the same port, which loads the last snapshot a SAVE left:
     * a crash that loses what was written since, under a new run_id.
     */
    public void crashAndRestartFromLastSave() throws IOException {
        process.destroyForcibly();
        waitForExit();
        closeClient();
        launch();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeClient() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            ClientShutdown.of(client);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
