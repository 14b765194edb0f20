package dev.redisombatch.batch.support;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} process on a free loopback port, in a folder of its own, for one test class:
 * {@code @RegisterExtension static final RedisServer redis = new RedisServer();}. The class is skipped, with the
 * reason, when no {@code redis-server} is installed ({@code bash .ci/run} installs Debian's package).
 *
 * <p>{@link #withSearch()} gives a search-capable one: the RediSearch module file named by {@code REDISEARCH_MODULE}
 * loaded into a spawned server, or the throwaway server {@code REDIS_SEARCH_URL} points at (flushed, its indexes
 * dropped). {@link #withJson()} gives a JSON-capable one the same way, from {@code REDISJSON_MODULE} (ReJSON 1.x or
 * RedisJSON 2.x) or {@code REDIS_JSON_URL}. Without either, the class is skipped with that reason.
 */
public final class RedisServer implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    /**
     * What the server must be able to do beyond plain Redis, and where a module, a server binary or a throwaway server
     * for it comes from.
     */
    private enum Module {
        NONE(null, null, null, null),
        SEARCH("REDISEARCH_MODULE", "REDIS_SEARCH_URL", null, "no search-capable Redis: set REDISEARCH_MODULE to a"
                + " RediSearch 2.x module file (loaded into a spawned redis-server) or REDIS_SEARCH_URL to a throwaway"
                + " Redis 8 / Redis Stack (this harness does not start Docker)"),
        JSON("REDISJSON_MODULE", "REDIS_JSON_URL", null, "no JSON-capable Redis: set REDISJSON_MODULE to a ReJSON 1.x or"
                + " RedisJSON 2.x module file (loaded into a spawned redis-server) or REDIS_JSON_URL to a throwaway"
                + " Redis 8 / Redis Stack (this harness does not start Docker)"),
        SEARCH_JSON(null, "REDIS_SEARCH_JSON_URL", null, "no Redis that indexes JSON: set REDIS_SEARCH_JSON_URL to a"
                + " throwaway Redis 8 / Redis Stack. Modules loaded here do not do: RediSearch 2.6 indexes JSON only"
                + " with RedisJSON 2.x, and with ReJSON 1.0.8 answers FT.CREATE ... ON JSON with 'Invalid rule type:"
                + " JSON'"),
        FIELD_EXPIRATION(null, null, "REDIS_HFE_SERVER", "no Redis with hash field expiration: set REDIS_HFE_SERVER to"
                + " a redis-server binary of Redis 7.4 or later (Debian's is 7.0)");

        final String moduleVariable;
        final String urlVariable;
        final String serverVariable;
        final String absent;

        Module(String moduleVariable, String urlVariable, String serverVariable, String absent) {
            this.moduleVariable = moduleVariable;
            this.urlVariable = urlVariable;
            this.serverVariable = serverVariable;
            this.absent = absent;
        }

        String moduleFile() {
            return moduleVariable == null ? null : blankToNull(System.getenv(moduleVariable));
        }

        String externalUrl() {
            return urlVariable == null ? null : blankToNull(System.getenv(urlVariable));
        }

        String serverBinary() {
            return serverVariable == null ? null : blankToNull(System.getenv(serverVariable));
        }
    }

    private final Module needs;
    private final boolean shardedBehindOneEndpoint;
    private String externalUrl;
    private String module;
    private Path directory;
    private int port;
    private Process process;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    public RedisServer() {
        this(Module.NONE);
    }

    private RedisServer(Module needs) {
        this(needs, false);
    }

    private RedisServer(Module needs, boolean shardedBehindOneEndpoint) {
        this.needs = needs;
        this.shardedBehindOneEndpoint = shardedBehindOneEndpoint;
    }

    /**
     * A sharded database behind one endpoint, as Redis Cloud or Software with several shards looks to a client: a
     * cluster-mode server owning all 16,384 slots, addressed as a plain server. Like those, it answers a command or
     * script over keys of several slots with CROSSSLOT, while SCAN and single-key commands work.
     */
    public static RedisServer shardedBehindOneEndpoint() {
        return new RedisServer(Module.NONE, true);
    }

    public static RedisServer withSearch() {
        return new RedisServer(Module.SEARCH);
    }

    public static RedisServer withJson() {
        return new RedisServer(Module.JSON);
    }

    /** A server with hash field expiration (Redis 7.4+): the redis-server binary {@code REDIS_HFE_SERVER} names. */
    public static RedisServer withFieldExpiration() {
        return new RedisServer(Module.FIELD_EXPIRATION);
    }

    /** A server with RediSearch that can index RedisJSON documents: only from {@code REDIS_SEARCH_JSON_URL}. */
    public static RedisServer withSearchOverJson() {
        return new RedisServer(Module.SEARCH_JSON);
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
        return missing().map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled("a Redis to test against is at hand"));
    }

    private java.util.Optional<String> missing() {
        if (needs != Module.NONE) {
            if (needs.externalUrl() != null) {
                return java.util.Optional.empty();
            }
            if (needs.serverVariable != null) {
                return needs.serverBinary() == null ? java.util.Optional.of(needs.absent)
                        : new File(needs.serverBinary()).canExecute() ? java.util.Optional.empty()
                        : java.util.Optional.of(needs.serverVariable + "=" + needs.serverBinary()
                                + " is not an executable file");
            }
            if (needs.moduleFile() == null) {
                return java.util.Optional.of(needs.absent);
            }
            if (!Files.isRegularFile(Path.of(needs.moduleFile()))) {
                return java.util.Optional.of(needs.moduleVariable + "=" + needs.moduleFile() + " is not a file");
            }
        }
        if (findExecutable() == null) {
            return java.util.Optional.of("redis-server is not installed (apt-get install redis-server; bash .ci/run"
                    + " does it)");
        }
        return java.util.Optional.empty();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        java.util.Optional<String> missing = missing();
        Assumptions.assumeTrue(missing.isEmpty(), missing.orElse(""));
        if (needs != Module.NONE) {
            externalUrl = needs.externalUrl();
            module = needs.moduleFile();
            if (externalUrl != null) {
                useExternal();
                return;
            }
        }
        directory = Files.createTempDirectory("redis-test");
        // A cluster node's bus listens on port + 10000, which must be free too.
        port = shardedBehindOneEndpoint ? ServerPorts.freeWithBus(10000, Set.of()) : ServerPorts.free();
        launch();
    }

    private void configure(RedisClient created) {
        created.setDefaultTimeout(Duration.ofSeconds(30));
        if (needs != Module.NONE) {
            created.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private void useExternal() {
        client = RedisClient.create(externalUrl);
        configure(client);
        connection = client.connect();
        connection.sync().flushall();
        if (needs == Module.SEARCH || needs == Module.SEARCH_JSON) {
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
        return connection.sync().dispatch(new dev.redisombatch.batch.redis.CommandName(command), new NestedMultiOutput<>(StringCodec.UTF8),
                args);
    }

    /**
     * Holds every write command of every client, scripts included, for {@code duration} ({@code CLIENT PAUSE ms
     * WRITE}); reads go on. A client whose timeout is shorter sees its write time out, and the write runs later.
     */
    public void pauseWrites(Duration duration) {
        search("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "WRITE");
    }

    /** How many times the server ran {@code command} since it started or since CONFIG RESETSTAT. */
    public long calls(String command) {
        String prefix = "cmdstat_" + command.toLowerCase(java.util.Locale.ROOT) + ":calls=";
        return commands().info("commandstats").lines().filter(line -> line.startsWith(prefix))
                .mapToLong(line -> Long.parseLong(line.substring(prefix.length(), line.indexOf(',', prefix.length()))))
                .findFirst().orElse(0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeClient();
        if (process != null && externalUrl == null) {
            process.destroy();
            waitForExit();
        }
    }

    /** The redis-server to spawn: the one the need's variable names, or the first on the PATH. */
    private String findExecutable() {
        if (needs.serverBinary() != null) {
            return needs.serverBinary();
        }
        for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File candidate = new File(folder, "redis-server");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }

    private void launch() throws IOException {
        // No automatic snapshots, so runs are not slowed by forks; restart() saves explicitly.
        List<String> command = new java.util.ArrayList<>(List.of(findExecutable(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.toString(), "--logfile",
                "redis.log"));
        if (module != null) {
            command.addAll(List.of("--loadmodule", Path.of(module).toAbsolutePath().toString()));
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
            connection.sync().dispatch(io.lettuce.core.protocol.CommandType.CLUSTER,
                    new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                            .add("ADDSLOTSRANGE").add(0).add(16383));
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
            client.shutdown();
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
