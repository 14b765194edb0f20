package dev.redisombatch.batch.redis;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.models.role.RedisInstance;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis a run works on, a single server or a cluster: one Lettuce client, a shared connection for small
 * synchronous calls ({@link #call}, routed by key in a cluster), and pipelined connections for the partitions (one
 * partition at a time each, since manual flushing is per connection; handed on from a completed partition to the next
 * of the same server). Nothing here retries by itself: {@link #call} runs one retry loop around the connect and the
 * command together.
 */
public final class RedisEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisEndpoint.class);
    /** How long {@link #close()} waits for its connections and clients to close (each client's own timeout: 2 s). */
    private static final long SHUTDOWN_WAIT_SECONDS = 10;

    private final RedisSettings settings;
    /** The one server's URI, as the settings parsed it; null on a cluster. */
    private final RedisURI server;

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final TransientFaults transientFaults;
    private StatefulConnection<String, String> shared;
    private RedisClient resp2Client;
    /** Pipelined connections partitions handed back, per master node id ("" for a single server). */
    private final Map<String, Deque<PipelinedConnection>> idlePipelined = new ConcurrentHashMap<>();
    /** Set by {@link #close}: a connection handed back after it is closed, not kept. */
    private boolean closed;
    /** Asked once ({@link #groupsWritesBySlot}); null until then. */
    private Boolean groupsWritesBySlot;

    public RedisEndpoint(RedisSettings settings) {
        this(settings, () -> false);
    }

    /** @param stopRequested when true, transient faults are no longer retried: a stopping run does not wait */
    public RedisEndpoint(RedisSettings settings, BooleanSupplier stopRequested) {
        this.settings = settings;
        this.transientFaults = new TransientFaults(settings.retries(), stopRequested);
        this.resources = LettuceOptions.clientResources();
        if (settings.cluster()) {
            this.server = null;
            this.client = null;
            this.clusterClient = RedisClusterClient.create(resources, settings.seeds());
            clusterClient.setDefaultTimeout(settings.timeout());
            clusterClient.setOptions(
                    ClusterClientOptions.builder(LettuceOptions.clientOptions(settings, ProtocolVersion.RESP3))
                            .maxRedirects(5)
                            .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                    .enableAllAdaptiveRefreshTriggers()
                                    .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                                    .build())
                            .build());
        } else {
            this.clusterClient = null;
            this.server = settings.uri();
            this.client = RedisClient.create(resources, server);
            client.setDefaultTimeout(settings.timeout());
            client.setOptions(LettuceOptions.clientOptions(settings, ProtocolVersion.RESP3));
        }
        if (settings.tls() && settings.tlsVerify() == RedisSettings.TlsVerification.NONE) {
            log.warn("--redis.tls.verify=none: the server's certificate is not checked; anyone on the path can"
                    + " read and change what this run sends");
        }
    }

    public boolean isCluster() {
        return clusterClient != null;
    }

    /**
     * Whether a script's keys must all be in one hash slot here: on a cluster, and on a sharded database behind one
     * endpoint (Redis Cloud or Software with several shards, Azure Managed Redis, a cluster-mode node addressed as a
     * plain server), which answers a script over keys of several slots with CROSSSLOT. Told by asking once: a script
     * that declares two keys of different slots and touches neither. Not retried: callers ask inside their own retry.
     */
    public synchronized boolean groupsWritesBySlot() {
        if (groupsWritesBySlot == null) {
            groupsWritesBySlot = isCluster()
                    || switch (settings.slotGrouping()) {
                        case ALWAYS -> true;
                        case NEVER -> false;
                        case AUTO -> refusesCrossSlotScripts();
                    };
            if (groupsWritesBySlot && !isCluster() && settings.slotGrouping() == RedisSettings.SlotGrouping.AUTO) {
                log.info(
                        "{} refuses commands whose keys are in different hash slots (a sharded database behind one"
                                + " endpoint): writes are grouped by slot, as on a cluster",
                        target());
            }
        }
        return groupsWritesBySlot;
    }

    private boolean refusesCrossSlotScripts() {
        try {
            sharedCommands()
                    .eval("return 1", ScriptOutputType.INTEGER, SlotTags.CROSS_SLOT_PROBE.toArray(String[]::new));
            return false;
        } catch (RedisCommandExecutionException refused) {
            if (String.valueOf(refused.getMessage()).startsWith("CROSSSLOT")) {
                return true;
            }
            throw refused;
        }
    }

    /** host:port/db or the cluster's seeds, with no credentials: safe to log and to use as a job parameter. */
    public String target() {
        return settings.target();
    }

    /** The database number of the one server (0 on a cluster). */
    public int database() {
        return server == null ? 0 : server.getDatabase();
    }

    public Duration timeout() {
        return settings.timeout();
    }

    public TransientFaults transientFaults() {
        return transientFaults;
    }

    /** An upper bound of how long one call and its retries can last: every attempt's timeout, every delay between. */
    public Duration retryWindow() {
        return settings.timeout().plus(TransientFaults.MAX_DELAY).multipliedBy(settings.retries() + 1L);
    }

    /** Runs one command on the shared connection (connecting first if needed), retrying transient faults. */
    public <T> T call(String what, Function<RedisClusterCommands<String, String>, T> command) {
        return transientFaults.call(what, () -> command.apply(sharedCommands()));
    }

    /** Runs one command on the shared connection once, without retrying: for callers that keep their own time. */
    public <T> T callOnce(Function<RedisClusterCommands<String, String>, T> command) {
        return command.apply(sharedCommands());
    }

    private synchronized RedisClusterCommands<String, String> sharedCommands() {
        if (shared == null) {
            shared = isCluster() ? clusterClient.connect() : client.connect();
        }
        return shared instanceof StatefulRedisClusterConnection<String, String> cluster
                ? cluster.sync()
                : ((StatefulRedisConnection<String, String>) shared).sync();
    }

    /**
     * The masters and what they hold, as of now (a cluster's topology is reloaded first). Not retried: callers ask
     * inside their own retry.
     */
    public Topology topology() {
        RedisClusterCommands<String, String> commands = sharedCommands();
        return isCluster()
                ? TopologyReader.ofCluster(clusterClient, (StatefulRedisClusterConnection<String, String>) shared)
                : TopologyReader.ofServer(commands, server);
    }

    /**
     * Gives the data a {@link DatasetMark} where it has none (SET NX: a mark that is there stays), then returns the
     * topology: the single server one, a cluster one in every slot, so that the marks travel with the slots a reshard
     * moves and vanish with the data of a flushed master. Safe to retry: a SET NX that timed out but ran left the
     * token a retry then finds. Not retried.
     */
    public Topology markDataset() {
        String token = DatasetMark.newToken();
        if (!isCluster()) {
            sharedCommands().set(DatasetMark.keyOf(List.of()), token, SetArgs.Builder.nx());
            return topology();
        }
        inEverySlot("marking the dataset", DatasetMark::keyOfSlot, SlotCommand.setIfAbsent(token));
        return topology();
    }

    /**
     * Sends one command per hash slot, on a key of that slot ({@code keyOfSlot}), and returns the replies in slot
     * order: 16,384 small commands cost the servers far less than a SCAN of every key to find the few keys of this
     * tool's own spread over the slots. On a cluster, a script call per master does the slots it serves steadily
     * ({@link EverySlot}); the rest, and every slot elsewhere (a sharded endpoint routes them itself), go as commands
     * on the shared connection. Not retried.
     */
    public <T> List<T> inEverySlot(String what, IntFunction<String> keyOfSlot, SlotCommand<T> command) {
        StatefulConnection<String, String> connection = shared();
        if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
            return EverySlot.onCluster(cluster, settings.timeout(), what, keyOfSlot, command);
        }
        List<T> values = new ArrayList<>(Collections.nCopies(SlotSet.SLOTS, null));
        EverySlot.routed(
                ((StatefulRedisConnection<String, String>) connection).async(),
                settings.timeout(),
                what,
                keyOfSlot,
                command,
                new BitSet(),
                values);
        return values;
    }

    /**
     * What one master says of itself now (the single server: its run_id, every slot): see {@link NodeView}. Not
     * retried: callers ask inside their own retry.
     */
    public NodeView nodeView(String nodeId) {
        if (!isCluster()) {
            return NodeView.singleServer(ServerInfo.runId(sharedCommands().info("server")));
        }
        RedisClusterCommands<String, String> node;
        try {
            node = ((StatefulRedisClusterConnection<String, String>) shared())
                    .getConnection(nodeId)
                    .sync();
        } catch (RedisException unknown) {
            // Lettuce knows no such node any more: it left the cluster.
            return NodeView.NOT_MASTER;
        }
        return NodeView.ofClusterNode(ServerInfo.runId(node.info("server")), node.clusterNodes());
    }

    /**
     * A key that is not this tool's own ({@link OwnKeys}), on any master, printable; empty when there is none. Walks
     * until it finds one, so it is quick on an empty Redis and on one full of data alike. Not retried.
     */
    public Optional<String> anyKeyNotOwn() {
        for (Topology.Master master : topology().masters()) {
            RedisClusterCommands<String, String> commands = isCluster()
                    ? ((StatefulRedisClusterConnection<String, String>) shared())
                            .getConnection(master.nodeId())
                            .sync()
                    : sharedCommands();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = commands.scan(cursor, ScanArgs.Builder.limit(1000));
                for (String key : page.getKeys()) {
                    if (!key.startsWith(OwnKeys.PREFIX)) {
                        return Optional.of(KeyText.printable(key, KeyText.MAX_PRINTED));
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
        }
        return Optional.empty();
    }

    private synchronized StatefulConnection<String, String> shared() {
        sharedCommands();
        return shared;
    }

    /**
     * Whether the server knows a command ({@code COMMAND INFO}): whether a module is loaded, for example. A server
     * that will not say (an ACL without COMMAND) is taken to know it.
     */
    public boolean knowsCommand(String name) {
        try {
            List<Object> info = call("COMMAND INFO " + name, redis -> redis.commandInfo(name));
            return !info.isEmpty() && info.get(0) != null;
        } catch (RedisCommandExecutionException refused) {
            return true;
        }
    }

    /** One section of {@code INFO} from one master (the one server, for a single server). Not retried. */
    public String infoOn(String nodeId, String section) {
        return on(nodeId, commands -> commands.info(section));
    }

    /** Runs commands on one master (the one server, for a single server); not retried. */
    public <T> T on(String nodeId, Function<RedisClusterCommands<String, String>, T> command) {
        if (!isCluster()) {
            return command.apply(sharedCommands());
        }
        return command.apply(((StatefulRedisClusterConnection<String, String>) shared())
                .getConnection(nodeId)
                .sync());
    }

    /** The number of keys on one master (the one server, for a single server). */
    public long keysOn(String nodeId) {
        if (!isCluster()) {
            return sharedCommands().dbsize();
        }
        return ((StatefulRedisClusterConnection<String, String>) shared)
                .getConnection(nodeId)
                .sync()
                .dbsize();
    }

    /**
     * A connection speaking RESP2, for FT.* commands: RediSearch 2.x answers FT.INFO with {@code -nan} doubles,
     * which RESP3 clients cannot parse. Not retried: callers connect inside their own retry.
     */
    public synchronized StatefulRedisConnection<String, String> openResp2() {
        if (isCluster()) {
            throw RedisOmBatchException.configuration("schema migrations on a Redis Cluster are not supported:"
                    + " open-source RediSearch indexes each shard separately (no coordinator), so an index created"
                    + " through one node covers only that node's keys. Run schema migrations against each shard's"
                    + " search setup yourself, or use Redis Enterprise / Redis Stack with a coordinator");
        }
        if (resp2Client == null) {
            resp2Client = RedisClient.create(resources, settings.uri());
            resp2Client.setDefaultTimeout(settings.timeout());
            resp2Client.setOptions(LettuceOptions.clientOptions(settings, ProtocolVersion.RESP2));
        }
        return resp2Client.connect();
    }

    /**
     * A pipelined connection to the one server, or routed by slot in a cluster. Not retried: callers connect inside
     * their own retry.
     */
    public PipelinedConnection openPipelined() {
        return openPipelined("");
    }

    /**
     * A pipelined connection whose reads go to master {@code nodeId} (ignored for a single server) and whose writes
     * are routed by slot. Every master's connection is opened first: Lettuce can leave commands for a node whose
     * connection is still being made unflushed (redis/lettuce#2420).
     */
    public PipelinedConnection openPipelined(String nodeId) {
        if (!isCluster()) {
            StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
            return new PipelinedConnection(
                    connection, connection.async(), connection.async(), false, settings.timeout());
        }
        StatefulRedisClusterConnection<byte[], byte[]> connection = clusterClient.connect(ByteArrayCodec.INSTANCE);
        try {
            connectToEveryMaster(connection);
            return new PipelinedConnection(
                    connection,
                    nodeId.isEmpty()
                            ? connection.async()
                            : connection.getConnection(nodeId).async(),
                    connection.async(),
                    !nodeId.isEmpty(),
                    settings.timeout());
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Connections for notifications, key names as bytes: to the one server, or to each master of the cluster as of
     * now, each given the same {@code listener}. {@code states} hears when any connection of this endpoint drops or
     * comes back (Lettuce reconnects, and subscribes again, by itself). Not retried: callers connect inside their own
     * retry.
     */
    public PubSubConnections openPubSub(
            RedisConnectionStateListener states, RedisPubSubListener<byte[], byte[]> listener) {
        if (!isCluster()) {
            client.addListener(states);
            StatefulRedisPubSubConnection<byte[], byte[]> connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
            connection.addListener(listener);
            return new PubSubConnections(Map.of("", connection), connection);
        }
        clusterClient.addListener(states);
        StatefulRedisClusterPubSubConnection<byte[], byte[]> cluster =
                clusterClient.connectPubSub(ByteArrayCodec.INSTANCE);
        cluster.setNodeMessagePropagation(true);
        cluster.addListener(listener);
        Map<String, StatefulRedisPubSubConnection<byte[], byte[]>> byNode = new LinkedHashMap<>();
        try {
            for (Topology.Master master : topology().masters()) {
                byNode.put(master.nodeId(), cluster.getConnection(master.nodeId()));
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return new PubSubConnections(byNode, cluster);
    }

    /**
     * A PING to every master, flushed (a connection taken again has automatic flushing off) and awaited: connects to
     * any master it has no connection to yet.
     */
    private void connectToEveryMaster(StatefulRedisClusterConnection<byte[], byte[]> connection) {
        List<RedisFuture<String>> pings = new ArrayList<>();
        for (RedisClusterNode node : connection.getPartitions()) {
            if (node.getRole() == RedisInstance.Role.UPSTREAM
                    && !node.getSlots().isEmpty()) {
                pings.add(connection
                        .getConnection(node.getUri().getHost(), node.getUri().getPort())
                        .async()
                        .ping());
            }
        }
        connection.flushCommands();
        for (RedisFuture<String> ping : pings) {
            LettuceFutures.awaitOrCancel(ping, settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * {@link #openPipelined(String)}, or the same kind of connection a partition of the same server handed back
     * ({@link #handBack}): a run's partitions come one after another on a few threads, and opening a cluster
     * connection per partition (one to each master, and the topology with it) cost a cluster run about 400 connections
     * for 48 partitions. A connection taken again meets every master again first, for masters that joined since.
     */
    public PipelinedConnection takePipelined(String nodeId) {
        PipelinedConnection idle;
        while ((idle = idlePipelined(nodeId).pollFirst()) != null) {
            if (!idle.isOpen()) {
                idle.close();
                continue;
            }
            try {
                if (idle.cluster() != null) {
                    connectToEveryMaster(idle.cluster());
                }
                return idle;
            } catch (RuntimeException unusable) {
                idle.close();
                throw unusable;
            }
        }
        return openPipelined(nodeId);
    }

    /**
     * Keeps a connection from {@link #takePipelined(String)} for the next partition of the same server. Only for one
     * whose every command was sent and answered (a partition that completed): commands left queued on it would go out
     * with the next user's flush.
     */
    public void handBack(String nodeId, PipelinedConnection connection) {
        synchronized (this) {
            if (!closed && connection.isOpen()) {
                idlePipelined(nodeId).offerFirst(connection);
                return;
            }
        }
        connection.close();
    }

    private Deque<PipelinedConnection> idlePipelined(String nodeId) {
        return idlePipelined.computeIfAbsent(nodeId, any -> new ConcurrentLinkedDeque<>());
    }

    /**
     * Closes every connection, then shuts the clients down, waiting at most {@link #SHUTDOWN_WAIT_SECONDS} for all of
     * it: Lettuce's blocking {@code close()} and {@code shutdown(...)} wait on their futures with no bound, and such a
     * future was once seen never to complete (a test's client, 2026-12-04); a process that did not exit after its
     * work would hold a scheduler's slot, or outlast a stop's grace period. Lettuce's threads are daemons, so what is
     * left behind does not keep the process alive. (Connections first: a client shutting down while its connections
     * close logs "Connection is already closed".)
     */
    @Override
    public synchronized void close() {
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_WAIT_SECONDS);
        List<CompletableFuture<Void>> connections = new ArrayList<>();
        idlePipelined.values().forEach(idle -> idle.forEach(connection -> connections.add(connection.closeAsync())));
        idlePipelined.clear();
        if (shared != null) {
            connections.add(shared.closeAsync());
        }
        boolean inTime = awaitUntil(connections, deadline);
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (AbstractRedisClient each : new AbstractRedisClient[] {resp2Client, client, clusterClient}) {
            if (each != null) {
                clients.add(each.shutdownAsync(0, 2, TimeUnit.SECONDS));
            }
        }
        if (!(inTime && awaitUntil(clients, deadline))) {
            log.warn(
                    "the connections to Redis did not close within {} s; left to end with the process",
                    SHUTDOWN_WAIT_SECONDS);
        }
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** Whether {@code futures} all completed (normally or not) by {@code deadline}, a {@link System#nanoTime()}. */
    private static boolean awaitUntil(List<CompletableFuture<Void>> futures, long deadline) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            log.warn("a connection to Redis failed to close: {}", e.getCause().toString());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
