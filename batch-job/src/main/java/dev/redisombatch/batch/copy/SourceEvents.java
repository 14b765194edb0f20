package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.OwnKeys;
import dev.redisombatch.batch.redis.PubSubConnections;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.ServerInfo;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.state.MigrationKind;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the source says changed, from its keyspace notifications: the names of the keys written, deleted, expired or
 * evicted since the subscription began, each kept once until taken, and what notifications cannot tell.
 *
 * <p>Notifications are fire and forget: none arrive while the connection is down, and a flush ({@code FLUSHALL},
 * {@code FLUSHDB}, {@code SWAPDB}), a restart or a switch to replica changes keys without one. {@link #check} looks for
 * each of these (the connection's drops, the source's run_id, role and flush command counts, its
 * {@code notify-keyspace-events}) and keeps each as a gap: a stretch of time in which the target may have missed
 * changes. Only INFO, CONFIG GET, PSUBSCRIBE and PING are sent, so the source still gets no write.
 */
final class SourceEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SourceEvents.class);
    private static final String NOTIFY = "notify-keyspace-events";
    /** RedisJSON 2.0.0, as {@code INFO modules} gives versions: the first that notifies its writes. */
    private static final long REDISJSON_THAT_NOTIFIES = 20_000;

    private final RedisEndpoint source;
    private final Map<ByteBuffer, Long> waiting = new LinkedHashMap<>();
    private final List<String> gaps = new CopyOnWriteArrayList<>();
    private PubSubConnections connections;
    private volatile Instant downSince;
    /** Set before this side closes the connection: that drop is no gap. */
    private volatile boolean closing;
    /** {@value #NOTIFY} as read when the subscription began; null when the source refused CONFIG GET. */
    private String notifyConfig;

    private SourceState state;
    /** The source's change count just after the subscription: changes counted after it have been heard. */
    private SourceChanges atSubscription;

    private long noticed;

    /** When the subscription began, as {@link System#nanoTime}. */
    private final long subscribedNanos = System.nanoTime();

    private SourceEvents(RedisEndpoint source) {
        this.source = source;
    }

    /**
     * Subscribes to the source's key-event notifications of its database; refuses (exit 2) a source whose
     * {@value #NOTIFY} leaves changes out.
     */
    static SourceEvents subscribe(RedisEndpoint source) {
        refuseClusterNodeAlone(source);
        refuseSilentModules(source);
        SourceEvents events = new SourceEvents(source);
        events.notifyConfig = readNotifyConfig(source);
        if (events.notifyConfig == null) {
            log.warn(
                    "--follow: the source refused CONFIG GET {}, so whether it notifies every change cannot be"
                            + " told here; it must hold E and A (CONFIG SET {} KEA), else changes are missed without a"
                            + " word: check with verify --target.url --check-data after following",
                    NOTIFY,
                    NOTIFY);
        } else if (!notifiesEveryChange(events.notifyConfig)) {
            throw RedisOmBatchException.configuration("--follow: the source's " + NOTIFY + " is \""
                    + events.notifyConfig + "\": it must hold E and A (key-event notifications of every change):"
                    + " CONFIG SET " + NOTIFY + " KEA on the source" + (source.isCluster() ? "'s every node" : "")
                    + ", or the same line in its redis.conf");
        }
        events.state = SourceState.read(source);
        events.connections = source.transientFaults().call("subscribe to the source's notifications", () -> {
            PubSubConnections connections = source.openPubSub(events.new Drops(), events.new Keys());
            try {
                connections.byNode().values().forEach(node -> node.sync().psubscribe(channelsOf(source)));
            } catch (RuntimeException e) {
                connections.close();
                throw e;
            }
            return connections;
        });
        events.atSubscription = SourceChanges.of(source);
        log.info(
                "listening to the source's key-event notifications ({}, database {}): changes from now on are"
                        + " copied again once the copy and the migrations are done",
                source.isCluster() ? events.connections.byNode().size() + " masters" : "one server",
                source.database());
        return events;
    }

    /**
     * A node of a cluster named as a plain server notifies only the changes of its own slots: following it would miss
     * the other masters'. Named as a cluster ({@code redis-cluster://}), every master is subscribed to.
     */
    private static void refuseClusterNodeAlone(RedisEndpoint source) {
        boolean clusterNode = !source.isCluster()
                && "1"
                        .equals(source.call(
                                "INFO cluster of the source",
                                commands -> ServerInfo.fieldIfPresent(commands.info("cluster"), "cluster_enabled")
                                        .orElse("0")));
        if (clusterNode) {
            throw RedisOmBatchException.configuration("--follow: " + source.target() + " is a node of a Redis Cluster"
                    + " named as one server: it notifies its own slots' changes only; name the cluster as"
                    + " redis-cluster://host:port to follow every master");
        }
    }

    /**
     * A module's commands notify only what the module itself tells the server: ReJSON before 2.0 tells nothing, so its
     * JSON writes would be missed without a word (RedisJSON 2.x notifies every write, as {@code json.*} events of the
     * module class). Other modules that keep keys of their own types are followed with a warning.
     */
    private static void refuseSilentModules(RedisEndpoint source) {
        Map<String, Long> modules =
                ServerInfo.modules(source.call("INFO modules of the source", commands -> commands.info("modules")));
        Long json = modules.remove("rejson");
        if (json != null && json < REDISJSON_THAT_NOTIFIES) {
            throw RedisOmBatchException.configuration("--follow: the source's ReJSON (version " + json + ") sends no"
                    + " keyspace notifications for JSON writes, so following would miss them: RedisJSON 2.0 and later"
                    + " do; copy without --follow");
        }
        modules.keySet().removeAll(CopyChecks.MODULES_WITHOUT_KEY_TYPES);
        if (!modules.isEmpty()) {
            log.warn(
                    "--follow: the source has module(s) {}: their commands' changes are heard only if the module"
                            + " notifies them; check with verify --target.url --check-data after following",
                    modules.keySet());
        }
    }

    private static byte[] channelsOf(RedisEndpoint source) {
        return ("__keyevent@" + source.database() + "__:*").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@value #NOTIFY} as the source has it: a cluster's masters' settings that differ are joined with {@code |}, so
     * that one without E and A fails the check. Null when the source refuses CONFIG GET.
     */
    private static String readNotifyConfig(RedisEndpoint source) {
        try {
            Set<String> settings = new TreeSet<>();
            for (Topology.Master master : source.call("read the source", commands -> source.topology())
                    .masters()) {
                settings.add(source.call(
                        "CONFIG GET " + NOTIFY,
                        commands -> source.on(master.nodeId(), node -> node.configGet(NOTIFY))
                                .getOrDefault(NOTIFY, "")));
            }
            return String.join("|", settings);
        } catch (RedisCommandExecutionException refused) {
            return null;
        }
    }

    /** Whether the setting, as the servers print it, sends every kind of change to the key-event channels. */
    static boolean notifiesEveryChange(String config) {
        for (String server : config.split("\\|", -1)) {
            if (!server.contains("E") || !server.contains("A")) {
                return false;
            }
        }
        return true;
    }

    /** Up to {@code max} key names noticed and not yet taken, oldest first. */
    synchronized List<byte[]> take(int max) {
        List<byte[]> taken = new ArrayList<>(Math.min(max, waiting.size()));
        Iterator<ByteBuffer> keys = waiting.keySet().iterator();
        while (taken.size() < max && keys.hasNext()) {
            taken.add(keys.next().array());
            keys.remove();
        }
        return taken;
    }

    /**
     * Puts keys taken but not read back into the waiting set, as if heard when the subscription began: their change
     * came before any stop that is to come, and their lag is not known any closer.
     */
    synchronized void again(List<byte[]> keys) {
        keys.forEach(key -> waiting.putIfAbsent(ByteBuffer.wrap(key), subscribedNanos));
    }

    synchronized int waiting() {
        return waiting.size();
    }

    /** How many keys not yet taken were heard before {@code nanoTime} ({@link System#nanoTime}). */
    synchronized long waitingHeardBefore(long nanoTime) {
        return waiting.values().stream().filter(heard -> heard - nanoTime < 0).count();
    }

    /** How long the oldest change not yet taken has waited; zero when none waits. */
    synchronized Duration lag() {
        return waiting.isEmpty()
                ? Duration.ZERO
                : Duration.ofNanos(
                        System.nanoTime() - waiting.values().iterator().next());
    }

    synchronized long noticed() {
        return noticed;
    }

    /**
     * Waits until every notification the source sent before this call has arrived: a PING behind them on each
     * connection.
     */
    void awaitDelivered() {
        source.transientFaults().call("PING the source's notification connections", () -> {
            connections.byNode().values().forEach(node -> node.sync().ping());
            return null;
        });
    }

    /**
     * Looks for what notifications cannot tell since the last look (a drop of the connection, a restart, a flush, a
     * changed setting), keeping each as a gap.
     */
    void check() {
        SourceState now = SourceState.read(source);
        state.differenceTo(now).ifPresent(gaps::add);
        state = now;
        if (notifyConfig != null) {
            String config = readNotifyConfig(source);
            if (config != null && !config.equals(notifyConfig)) {
                gaps.add(NOTIFY + " changed from \"" + notifyConfig + "\" to \"" + config + "\" at " + Instant.now()
                        + (notifiesEveryChange(config) ? "" : ": changes since are not notified"));
                notifyConfig = config;
            }
        }
    }

    SourceChanges changesAtSubscription() {
        return atSubscription;
    }

    /** Keeps a gap found elsewhere: changes the target may not have. */
    void missed(String why) {
        gaps.add(why);
    }

    /** Why the target may have missed changes, each with when; empty when nothing says so. */
    List<String> gaps() {
        List<String> all = new ArrayList<>(gaps);
        Instant down = downSince;
        if (down != null) {
            all.add("the connection for the source's notifications has been down since " + down);
        }
        return all;
    }

    @Override
    public void close() {
        closing = true;
        if (connections != null) {
            connections.close();
        }
    }

    private final class Keys extends RedisPubSubAdapter<byte[], byte[]> {

        @Override
        public void message(byte[] pattern, byte[] channel, byte[] key) {
            if (isKeyMiss(channel) || OwnKeys.without(List.of(key)).isEmpty()) {
                return;
            }
            MigrationKind applied = MigrationKind.ofAppliedSet(key);
            if (applied != null) {
                appliedOnTheSource(applied);
                return;
            }
            synchronized (SourceEvents.this) {
                waiting.putIfAbsent(ByteBuffer.wrap(key), System.nanoTime());
                noticed++;
            }
        }

        /**
         * The source's record of applied migrations changed: one was applied, rolled back or stamped there. The
         * target's record says what its own data has had (the migrations run there after the copy), so it is never
         * overwritten with the source's; but the documents copied from now on are what the source's changed
         * migrations make, which the target's record may no longer describe: a gap, once per set.
         */
        private void appliedOnTheSource(MigrationKind kind) {
            String gap = kind.appliedSet() + " changed on the source";
            synchronized (SourceEvents.this) {
                if (gaps.stream().noneMatch(known -> known.startsWith(gap))) {
                    gaps.add(gap + " at " + Instant.now()
                            + " (a migration applied, rolled back or stamped there while it"
                            + " was followed): the target's record of its migrations was left as it is, and may no longer"
                            + " describe the documents copied since");
                }
            }
        }

        /** A read of a missing key ({@code m}, when set): not a change. */
        private boolean isKeyMiss(byte[] channel) {
            return new String(channel, StandardCharsets.UTF_8).endsWith(":keymiss");
        }
    }

    /** The subscription's drops and returns: notifications sent in between never arrive. */
    private final class Drops implements RedisConnectionStateListener {

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> dropped) {
            if (ours(dropped) && downSince == null && !closing) {
                downSince = Instant.now();
                log.warn("the connection for the source's notifications dropped; changes made until it is back are"
                        + " not heard");
            }
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> back, SocketAddress address) {
            Instant down = downSince;
            if (ours(back) && down != null) {
                gaps.add(
                        "the connection for the source's notifications was down from " + down + " to " + Instant.now());
                downSince = null;
            }
        }

        private boolean ours(RedisChannelHandler<?, ?> connection) {
            PubSubConnections subscribed = connections;
            return subscribed != null && subscribed.byNode().containsValue(connection);
        }

        @Override
        public void onRedisExceptionCaught(RedisChannelHandler<?, ?> connection, Throwable cause) {}
    }

    /**
     * What tells a change notifications do not: the masters and their processes (a restart, a failover, a master added
     * or removed), a single server's role, the flush commands' counts, and the count of CONFIG SET calls (Redis 7 and
     * Valkey count them apart from CONFIG GET): a setting changed and set back within a second is otherwise unseen.
     */
    private record SourceState(Instant at, Map<String, String> runIds, String role, long flushes, long configSets) {

        static SourceState read(RedisEndpoint source) {
            return source.call("INFO of the source", commands -> {
                Map<String, String> runIds = new TreeMap<>();
                long flushes = 0;
                long configSets = 0;
                for (Topology.Master master : source.topology().masters()) {
                    runIds.put(master.nodeId(), master.runId());
                    String stats = source.infoOn(master.nodeId(), "commandstats");
                    flushes += SourceChanges.flushCalls(stats);
                    configSets += ServerInfo.calls(stats, "config|set").orElse(0L);
                }
                String role =
                        source.isCluster() ? "master" : ServerInfo.field(source.infoOn("", "replication"), "role");
                return new SourceState(Instant.now(), runIds, role, flushes, configSets);
            });
        }

        /** Why the source's keys may have changed unheard between this reading and {@code later}. */
        Optional<String> differenceTo(SourceState later) {
            String between = " between " + at + " and " + later.at;
            if (!runIds.keySet().equals(later.runIds.keySet())) {
                return Optional.of("the source's masters changed (a failover, a master added or removed: a master"
                        + " subscribed to by no one notifies no one)" + between);
            }
            if (!runIds.equals(later.runIds)) {
                return Optional.of("the source restarted or was replaced (run_id " + String.join(",", runIds.values())
                        + " -> " + String.join(",", later.runIds.values()) + ")" + between);
            }
            if (!role.equals(later.role)) {
                return Optional.of("the source's role changed from " + role + " to " + later.role + between);
            }
            if (later.flushes > flushes) {
                return Optional.of(
                        "the source ran FLUSHALL, FLUSHDB or SWAPDB" + between + " (which notify nothing per key)");
            }
            if (later.flushes < flushes || later.configSets < configSets) {
                return Optional.of("the source's command statistics were reset (CONFIG RESETSTAT)" + between
                        + ", so a flush or a change of " + NOTIFY + " then could not be seen");
            }
            if (later.configSets > configSets) {
                return Optional.of("CONFIG SET ran on the source" + between + ": " + NOTIFY + " may have been changed"
                        + " and set back between two looks, changes made meanwhile unnotified");
            }
            return Optional.empty();
        }
    }
}
