package dev.redisombatch.batch.support;

import static dev.redisombatch.batch.support.ChildProcesses.WAIT;
import static dev.redisombatch.batch.support.ChildProcesses.command;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway Redis Cluster of real {@code redis-server} processes on loopback, for one test class:
 * {@code @RegisterExtension static final RedisCluster cluster = new RedisCluster(3, 1);} (3 masters with 1 replica
 * each: 6 processes), or of {@code valkey-server} processes with {@code new RedisCluster(ServerBinaries.VALKEY, 3, 1)}.
 * The class is skipped, with the reason, when the server or its cli is missing.
 *
 * <p>Every node runs in the foreground as a child of the test JVM ({@code --cluster-node-timeout 2000}, no persistence,
 * {@code --save "" --appendonly no}), in a folder of its own under one temp folder ({@code nodes.conf},
 * {@code redis.log}); a JVM shutdown hook kills what is still running. Node ports are picked below the ephemeral range
 * so that the cluster bus port (port + 10000) is free too. The cluster is made with {@code redis-cli --cluster create}
 * and is handed over only once every node says {@code cluster_state:ok}, all nodes agree on who owns which slot and
 * who replicates whom, and every replica's link to its master is up.
 *
 * <p>The topology-changing operations ({@link #failover}, {@link #awaitPromotionOf}, {@link #restartNode},
 * {@link #reshard}) return only once the cluster has settled again, and then refresh the test client's view of the
 * topology ({@link #client()} also refreshes by itself on MOVED/ASK and on reconnects). Waits end after 60 s with a
 * message that carries the tail of every node's log.
 *
 * <p>State is shared by all tests of the class (the topology a test leaves behind is what the next one sees): tests
 * that change it should not assume which node is master, and ask {@link #masters()} / {@link #replicas()} instead.
 * Call it from the test thread; it is not made for concurrent use.
 */
public final class RedisCluster implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    /** One node as the cluster sees it now. */
    public record Node(String nodeId, String host, int port) {

        public String address() {
            return host + ":" + port;
        }

        public String uri() {
            return "redis://" + host + ":" + port;
        }
    }

    private static final String HOST = "127.0.0.1";
    private static final int SLOTS = 16384;
    private static final int NODE_TIMEOUT_MILLIS = 2000;
    private static final int BUS_PORT_OFFSET = 10000;
    private static final Duration CLI_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration FAILOVER_RETRY = Duration.ofSeconds(15);

    private final ServerBinaries binaries;
    private final int masterCount;
    private final int replicasPerMaster;
    private String startedBy;
    private Path directory;
    private Path redisServer;
    private Path redisCli;
    /** Every node's port, in creation order; a killed node keeps its place (and its port) for a restart. */
    private final List<Integer> ports = new ArrayList<>();

    private final Map<Integer, Process> running = new ConcurrentHashMap<>();
    private final Map<Integer, StatefulRedisConnection<String, String>> nodeConnections = new ConcurrentHashMap<>();
    private ClientResources resources;
    private RedisClient nodeClient;
    private RedisClusterClient clusterClient;
    private StatefulRedisClusterConnection<String, String> connection;

    /**
     * @param masters at least 3 ({@code redis-cli --cluster create} refuses fewer)
     * @param replicasPerMaster 0 or more
     */
    public RedisCluster(int masters, int replicasPerMaster) {
        this(ServerBinaries.REDIS, masters, replicasPerMaster);
    }

    /** The same, of the server those binaries start. */
    public RedisCluster(ServerBinaries binaries, int masters, int replicasPerMaster) {
        if (masters < 3) {
            throw new IllegalArgumentException("redis-cli --cluster create needs at least 3 masters, not " + masters);
        }
        if (replicasPerMaster < 0) {
            throw new IllegalArgumentException("replicas per master: " + replicasPerMaster);
        }
        this.binaries = binaries;
        this.masterCount = masters;
        this.replicasPerMaster = replicasPerMaster;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return missing()
                .map(ConditionEvaluationResult::disabled)
                .orElseGet(() -> ConditionEvaluationResult.enabled(
                        binaries.server() + " and " + binaries.cli() + " are installed"));
    }

    private Optional<String> missing() {
        return binaries.missing().map(why -> "no " + binaries.name() + " Cluster can be started: " + why);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (startedBy != null) {
            return; // a @Nested class of the class that started it
        }
        Optional<String> missing = missing();
        Assumptions.assumeTrue(missing.isEmpty(), missing.orElse(""));
        startedBy = context.getUniqueId();
        redisServer = binaries.serverPath();
        redisCli = binaries.cliPath();
        directory = Files.createTempDirectory("redis-cluster");
        resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .build();
        nodeClient = RedisClient.create(resources);
        nodeClient.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(10)))
                .build());
        startNodes(masterCount * (1 + replicasPerMaster));
        create();
        awaitSettled("the new cluster to settle", null);
        connectClient();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (startedBy == null || !startedBy.equals(context.getUniqueId())) {
            return;
        }
        startedBy = null;
        if (connection != null) {
            connection.close();
        }
        if (clusterClient != null) {
            clusterClient.shutdown(0, 5, TimeUnit.SECONDS);
        }
        closeNodeConnections();
        if (nodeClient != null) {
            nodeClient.shutdown(0, 5, TimeUnit.SECONDS);
        }
        if (resources != null) {
            resources.shutdown(0, 5, TimeUnit.SECONDS);
        }
        for (Process process : running.values()) {
            process.destroy();
        }
        for (Process process : running.values()) {
            ChildProcesses.stop(process, Duration.ofSeconds(10));
        }
        running.clear();
        ChildProcesses.deleteRecursively(directory);
    }

    // ---------------------------------------------------------------------------------------------------- what it
    // offers

    /** {@code redis://127.0.0.1:port} of one (live) master. */
    public String seedUri() {
        return masters().get(0).uri();
    }

    /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,...}: the live masters. */
    public String clusterUrl() {
        return "redis-cluster://" + masters().stream().map(Node::address).collect(Collectors.joining(","));
    }

    /** The live masters (with or without slots), by port, as a live node sees them now. */
    public List<Node> masters() {
        return liveNodes(Entry::isMaster);
    }

    /** The live replicas, by port, as a live node sees them now. */
    public List<Node> replicas() {
        return liveNodes(entry -> !entry.isMaster());
    }

    /** A live replica of that master (the one with the lowest port). */
    public Node replicaOf(String masterNodeId) {
        List<Node> found = liveNodes(entry -> !entry.isMaster() && masterNodeId.equals(entry.masterId()));
        if (found.isEmpty()) {
            throw new NoSuchElementException("no live replica of " + masterNodeId + " in " + view(anyLivePort()));
        }
        return found.get(0);
    }

    /** The master a replica replicates, as the replica itself says. */
    public Node masterOf(int replicaPort) {
        Entry self = self(replicaPort);
        if (self.isMaster()) {
            throw new IllegalArgumentException(replicaPort + " is a master");
        }
        return view(replicaPort).stream()
                .filter(entry -> entry.nodeId().equals(self.masterId()))
                .findFirst()
                .map(Entry::node)
                .orElseThrow();
    }

    /** The node ID of the node on that port (kept across restarts, in its nodes.conf). */
    public String nodeIdOf(int port) {
        return node(port).clusterMyId();
    }

    /** Every node's port, live or killed, in creation order. */
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    public boolean isRunning(int port) {
        Process process = running.get(port);
        return process != null && process.isAlive();
    }

    /** The cluster client for the tests' own assertions; refreshes its topology on MOVED/ASK and reconnects. */
    public RedisClusterClient client() {
        return clusterClient;
    }

    public StatefulRedisClusterConnection<String, String> connection() {
        return connection;
    }

    public RedisAdvancedClusterCommands<String, String> commands() {
        return connection.sync();
    }

    /** Commands to one node, without routing (a key of another node's slot gets MOVED). */
    public RedisCommands<String, String> nodeCommands(int port) {
        return node(port);
    }

    /** Where the nodes' folders are: {@code <port>/redis.log}, {@code <port>/nodes.conf}. */
    public Path directory() {
        return directory;
    }

    /**
     * {@code CLUSTER FAILOVER} on that replica, then waits until it says {@code role:master} and the cluster has
     * settled (all nodes agree). Retries the command every 15 s, as a manual failover that times out is abandoned.
     */
    public void failover(int replicaPort) {
        requireRunning(replicaPort);
        if (self(replicaPort).isMaster()) {
            throw new IllegalArgumentException(replicaPort + " is already a master");
        }
        awaitSettled("the cluster to settle before the failover of " + replicaPort, null);
        long[] lastAttempt = {System.nanoTime()};
        node(replicaPort).clusterFailover(false);
        awaitSettled("the failover to " + replicaPort, () -> {
            String role = infoField(node(replicaPort).info("replication"), "role");
            if ("master".equals(role)) {
                return null;
            }
            if (System.nanoTime() - lastAttempt[0] > FAILOVER_RETRY.toNanos()) {
                lastAttempt[0] = System.nanoTime();
                node(replicaPort).clusterFailover(false);
            }
            return replicaPort + " still says role:" + role;
        });
        refreshClientTopology();
    }

    /** SIGKILL of that node's process (nothing saved, no goodbye to the cluster); returns once it is gone. */
    public void killNode(int port) {
        Process process = running.remove(port);
        if (process == null) {
            throw new IllegalStateException("node " + port + " is not running");
        }
        closeNodeConnection(port);
        ChildProcesses.kill(process);
    }

    /**
     * After {@link #killNode} of a master: waits until that replica has been promoted (it says {@code role:master})
     * and the live nodes have settled, then refreshes the client's topology. With a node timeout of 2 s this takes a
     * few seconds.
     */
    public void awaitPromotionOf(int replicaPort) {
        requireRunning(replicaPort);
        awaitSettled("the promotion of " + replicaPort, () -> {
            String role = infoField(node(replicaPort).info("replication"), "role");
            return "master".equals(role) ? null : replicaPort + " still says role:" + role;
        });
        refreshClientTopology();
    }

    /**
     * Starts a killed node again, same port, same folder and {@code nodes.conf} (so the same node ID), empty dataset.
     * A master whose slots went to its replica meanwhile rejoins as that replica's replica. Returns once the cluster,
     * this node included, has settled.
     */
    public void restartNode(int port) throws IOException {
        if (!ports.contains(port)) {
            throw new IllegalArgumentException("no node of this cluster had port " + port);
        }
        if (isRunning(port)) {
            throw new IllegalStateException("node " + port + " is running");
        }
        launch(port);
        if (!awaitPing(port)) {
            throw new IllegalStateException("node " + port + " did not start again\n" + diagnostics());
        }
        awaitSettled("node " + port + " to rejoin the cluster", null);
        refreshClientTopology();
    }

    /**
     * Moves {@code slots} slots (the source's lowest) with {@code redis-cli --cluster reshard}, keys included; returns
     * once redis-cli is done and every node agrees on the new owner. redis-cli insists on a cluster whose nodes all
     * answer and agree, so restart a killed node first.
     */
    public void reshard(String fromNodeId, String toNodeId, int slots) {
        awaitSettled("the cluster to settle before the reshard", null);
        int port = masters().stream()
                .filter(node -> node.nodeId().equals(fromNodeId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(fromNodeId + " is not a live master"))
                .port();
        ChildProcesses.Result result = ChildProcesses.run(
                command(
                        redisCli,
                        "--cluster",
                        "reshard",
                        HOST + ":" + port,
                        "--cluster-from",
                        fromNodeId,
                        "--cluster-to",
                        toNodeId,
                        "--cluster-slots",
                        slots,
                        "--cluster-yes"),
                directory,
                CLI_TIMEOUT);
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe() + "\n" + diagnostics());
        }
        awaitSettled("the slot map to agree after the reshard", null);
        refreshClientTopology();
    }

    /** FLUSHALL on every live master, then WAIT until its live replicas have applied it (10 s at most). */
    public void flushAll() {
        List<Node> replicas = replicas();
        for (Node master : masters()) {
            RedisCommands<String, String> commands = node(master.port());
            commands.flushall();
            long replicaCount = replicas.stream()
                    .filter(replica ->
                            master.nodeId().equals(self(replica.port()).masterId()))
                    .count();
            if (replicaCount > 0) {
                commands.waitForReplication((int) replicaCount, 10_000);
            }
        }
    }

    /**
     * The EVALSHA calls a node ran since its statistics were last reset ({@code CONFIG RESETSTAT}), from {@code INFO
     * commandstats}: calls less those failed (a NOSCRIPT, a script ending in an error). A call refused before it ran
     * (a redirection, TRYAGAIN) is counted in {@code rejected_calls} only, not in {@code calls}.
     */
    public long scriptCallsRan(int port) {
        for (String line : node(port).info("commandstats").split("\\r?\\n")) {
            if (line.startsWith("cmdstat_evalsha:")) {
                long ran = 0;
                for (String field : line.substring("cmdstat_evalsha:".length()).split(",")) {
                    String[] pair = field.split("=");
                    switch (pair[0]) {
                        case "calls" -> ran += Long.parseLong(pair[1]);
                        case "failed_calls" -> ran -= Long.parseLong(pair[1]);
                        default -> {}
                    }
                }
                return ran;
            }
        }
        return 0;
    }

    /** How many slots each live master owns now, by node ID, as a live node sees it. */
    public Map<String, Integer> slotCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Entry entry : view(anyLivePort())) {
            if (entry.isMaster() && isRunning(entry.port()) && !entry.failing()) {
                counts.put(entry.nodeId(), entry.slotCount());
            }
        }
        return counts;
    }

    // ---------------------------------------------------------------------------------------------------- starting

    private void startNodes(int count) throws IOException {
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int port = pickPort(taken);
            ports.add(port);
            launch(port);
        }
        for (int i = 0; i < ports.size(); i++) {
            for (int attempt = 1; !awaitPing(ports.get(i)); attempt++) {
                int port = ports.get(i);
                String log = ChildProcesses.tail(log(port), 20);
                if (attempt > 5 || !log.contains("Address already in use")) {
                    throw new IllegalStateException(
                            "redis-server on port " + port + " exited at start\n" + diagnostics());
                }
                running.remove(port);
                int other = pickPort(taken);
                ports.set(i, other);
                launch(other);
            }
        }
    }

    private static int pickPort(Set<Integer> taken) {
        int port = ServerPorts.freeWithBus(BUS_PORT_OFFSET, taken);
        taken.add(port);
        return port;
    }

    private void launch(int port) throws IOException {
        Path folder = directory.resolve(Integer.toString(port));
        Files.createDirectories(folder);
        List<String> command = command(
                redisServer,
                "--port",
                port,
                "--bind",
                HOST,
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                NODE_TIMEOUT_MILLIS,
                "--dir",
                folder,
                "--save",
                "",
                "--appendonly",
                "no",
                "--repl-diskless-sync-delay",
                "0",
                "--daemonize",
                "no",
                "--logfile",
                log(port));
        running.put(port, ChildProcesses.startServer(command, folder, folder.resolve("stdout.log")));
    }

    private Path log(int port) {
        return directory.resolve(Integer.toString(port)).resolve("redis.log");
    }

    /** True once it answers PING; false if the process exited first. */
    private boolean awaitPing(int port) {
        Process process = running.get(port);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (process == null || !process.isAlive()) {
                return false;
            }
            try {
                if ("PONG".equals(node(port).ping())) {
                    return true;
                }
            } catch (RuntimeException notYet) {
                closeNodeConnection(port);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                            + WAIT.toSeconds() + " s: " + notYet + "\n" + diagnostics());
                }
            }
            ChildProcesses.sleep(50);
        }
    }

    private void create() {
        List<String> addresses = ports.stream().map(port -> HOST + ":" + port).toList();
        ChildProcesses.Result result = ChildProcesses.run(
                command(
                        redisCli,
                        "--cluster",
                        "create",
                        addresses,
                        "--cluster-replicas",
                        replicasPerMaster,
                        "--cluster-yes"),
                directory,
                CLI_TIMEOUT);
        if (!result.succeeded() || !result.output().contains("All " + SLOTS + " slots covered")) {
            throw new IllegalStateException(result.describe() + "\n" + diagnostics());
        }
    }

    private void connectClient() {
        List<RedisURI> seeds = ports.stream()
                .map(port -> RedisURI.builder()
                        .withHost(HOST)
                        .withPort(port)
                        .withTimeout(Duration.ofSeconds(30))
                        .build())
                .toList();
        clusterClient = RedisClusterClient.create(resources, seeds);
        clusterClient.setOptions(ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                        .build())
                .maxRedirects(5)
                .build());
        connection = clusterClient.connect();
    }

    private void refreshClientTopology() {
        if (clusterClient != null) {
            clusterClient.refreshPartitions();
        }
    }

    // ---------------------------------------------------------------------------------------------------- settling

    /**
     * Waits until {@code extra} (if any) holds and the live nodes have settled: each says cluster_state:ok, knows every
     * other live node and flags none of them as failing, all of them print the same owner for every slot and the same
     * master for every replica, the live masters' slots add up to 16384, and every replica of a live master has its
     * replication link up.
     */
    private void awaitSettled(String what, ChildProcesses.Check extra) {
        ChildProcesses.await(
                what,
                WAIT,
                200,
                () -> {
                    if (extra != null) {
                        String pending = extra.pending();
                        if (pending != null) {
                            return pending;
                        }
                    }
                    return unsettled();
                },
                this::diagnostics);
    }

    private String unsettled() {
        List<Integer> live = ports.stream().filter(this::isRunning).toList();
        if (live.isEmpty()) {
            throw new ChildProcesses.Hopeless("no node is running");
        }
        String reference = null;
        int referencePort = 0;
        List<Entry> referenceView = null;
        for (int port : live) {
            String state = infoField(node(port).clusterInfo(), "cluster_state");
            if (!"ok".equals(state)) {
                return port + " says cluster_state:" + state;
            }
            List<Entry> view = view(port);
            Set<Integer> seen = new HashSet<>();
            StringBuilder canonical = new StringBuilder();
            for (Entry entry :
                    view.stream().sorted(Comparator.comparing(Entry::nodeId)).toList()) {
                if (!live.contains(entry.port())) {
                    continue; // a killed node: its entry may say anything
                }
                if (entry.failing()
                        || entry.flags().contains("handshake")
                        || entry.flags().contains("noaddr")) {
                    return port + " flags " + entry.port() + " as " + entry.flags();
                }
                seen.add(entry.port());
                canonical
                        .append(entry.nodeId())
                        .append(entry.isMaster() ? " master " : " replica of ")
                        .append(entry.isMaster() ? "" : entry.masterId())
                        .append(' ')
                        .append(entry.slots())
                        .append('\n');
            }
            if (!seen.containsAll(live)) {
                return port + " does not know every live node yet: knows " + seen + " of " + live;
            }
            if (reference == null) {
                reference = canonical.toString();
                referencePort = port;
                referenceView = view;
            } else if (!reference.equals(canonical.toString())) {
                return port + " and " + referencePort + " disagree:\n" + canonical + "versus\n" + reference;
            }
        }
        int covered = referenceView.stream()
                .filter(entry -> entry.isMaster() && live.contains(entry.port()))
                .mapToInt(Entry::slotCount)
                .sum();
        if (covered != SLOTS) {
            return "the live masters own " + covered + " of " + SLOTS + " slots";
        }
        for (Entry entry : referenceView) {
            if (!entry.isMaster() && live.contains(entry.port())) {
                boolean masterLive = referenceView.stream()
                        .anyMatch(master -> master.nodeId().equals(entry.masterId()) && live.contains(master.port()));
                String link = infoField(node(entry.port()).info("replication"), "master_link_status");
                if (masterLive && !"up".equals(link)) {
                    return "replica " + entry.port() + " says master_link_status:" + link;
                }
            }
        }
        return null;
    }

    private String diagnostics() {
        StringBuilder text = new StringBuilder();
        for (int port : ports) {
            Path folder = directory.resolve(Integer.toString(port));
            text.append("--- node ")
                    .append(port)
                    .append(isRunning(port) ? " (running)" : " (not running)")
                    .append(", ")
                    .append(folder.resolve("redis.log"))
                    .append(":\n")
                    .append(ChildProcesses.tail(folder.resolve("redis.log"), 15))
                    .append('\n');
            String stdout = ChildProcesses.tail(folder.resolve("stdout.log"), 5);
            if (!stdout.isBlank() && !stdout.startsWith("(no ")) {
                text.append("stdout/stderr: ").append(stdout).append('\n');
            }
        }
        for (int port : ports) {
            if (isRunning(port)) {
                try {
                    text.append("--- CLUSTER NODES from ")
                            .append(port)
                            .append(":\n")
                            .append(node(port).clusterNodes());
                } catch (RuntimeException e) {
                    text.append("--- CLUSTER NODES from ")
                            .append(port)
                            .append(" failed: ")
                            .append(e)
                            .append('\n');
                }
                break;
            }
        }
        return text.toString();
    }

    // ---------------------------------------------------------------------------------------------------- node views

    /** One line of CLUSTER NODES. */
    private record Entry(String nodeId, String host, int port, Set<String> flags, String masterId, String slots) {

        boolean isMaster() {
            return flags.contains("master");
        }

        boolean failing() {
            return flags.contains("fail") || flags.contains("fail?");
        }

        Node node() {
            return new Node(nodeId, host, port);
        }

        int slotCount() {
            int count = 0;
            for (String range : slots.isEmpty() ? new String[0] : slots.split(" ")) {
                int dash = range.indexOf('-');
                count += dash < 0
                        ? 1
                        : Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
            }
            return count;
        }

        /** {@code <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot> ...} */
        static Entry parse(String line) {
            String[] fields = line.trim().split(" ");
            String address = fields[1];
            int comma = address.indexOf(',');
            if (comma >= 0) {
                address = address.substring(0, comma);
            }
            int at = address.indexOf('@');
            if (at >= 0) {
                address = address.substring(0, at);
            }
            int colon = address.lastIndexOf(':');
            List<String> slots = new ArrayList<>();
            for (int i = 8; i < fields.length; i++) {
                if (!fields[i].startsWith("[")) { // [slot->-id] / [slot-<-id]: a migration in progress
                    slots.add(fields[i]);
                }
            }
            return new Entry(
                    fields[0],
                    address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1)),
                    Set.of(fields[2].split(",")),
                    fields[3],
                    String.join(" ", slots));
        }
    }

    private List<Entry> view(int port) {
        return node(port)
                .clusterNodes()
                .lines()
                .filter(line -> !line.isBlank())
                .map(Entry::parse)
                .toList();
    }

    private Entry self(int port) {
        return view(port).stream()
                .filter(entry -> entry.flags().contains("myself"))
                .findFirst()
                .orElseThrow();
    }

    private int anyLivePort() {
        return ports.stream()
                .filter(this::isRunning)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster is running"));
    }

    private List<Node> liveNodes(Predicate<Entry> filter) {
        return view(anyLivePort()).stream()
                .filter(entry -> isRunning(entry.port()) && !entry.failing() && filter.test(entry))
                .sorted(Comparator.comparingInt(Entry::port))
                .map(Entry::node)
                .toList();
    }

    private void requireRunning(int port) {
        if (!isRunning(port)) {
            throw new IllegalStateException("node " + port + " is not running");
        }
    }

    private static String infoField(String info, String field) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields.get(field);
    }

    private RedisCommands<String, String> node(int port) {
        StatefulRedisConnection<String, String> existing = nodeConnections.get(port);
        if (existing != null && existing.isOpen()) {
            return existing.sync();
        }
        if (existing != null) {
            existing.close();
        }
        StatefulRedisConnection<String, String> created = nodeClient.connect(RedisURI.builder()
                .withHost(HOST)
                .withPort(port)
                .withTimeout(Duration.ofSeconds(10))
                .build());
        nodeConnections.put(port, created);
        return created.sync();
    }

    private void closeNodeConnection(int port) {
        StatefulRedisConnection<String, String> existing = nodeConnections.remove(port);
        if (existing != null) {
            existing.close();
        }
    }

    private void closeNodeConnections() {
        for (Integer port : List.copyOf(nodeConnections.keySet())) {
            closeNodeConnection(port);
        }
    }
}
