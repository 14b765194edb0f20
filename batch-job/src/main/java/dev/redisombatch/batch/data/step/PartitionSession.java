package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.NodeView;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.redis.TransientFaults;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a partition's reader and writer share (they run on the same thread, one after the other): its name, the
 * server it walks, its pipelined connection, its retry policy and its live counters. The connection is opened on
 * first use, inside the caller's retry, so that an unreachable Redis fails the partition instead of escaping Spring
 * Batch's bookkeeping. A partition that completes hands its connection back to the {@link RedisEndpoint}, for the
 * next partition of the same server.
 */
final class PartitionSession implements AutoCloseable {

    private final String name;
    private final String node;
    private final RedisEndpoint redis;
    private final PartitionProgress progress;
    private PipelinedConnection connection;
    private boolean connectionSettled;
    private final Map<String, Boolean> commandsKnown = new HashMap<>();

    /** @param node the cluster master it walks, by node id; empty for a single server */
    PartitionSession(String name, String node, RedisEndpoint redis, PartitionProgress progress) {
        this.name = name;
        this.node = node;
        this.redis = redis;
        this.progress = progress;
    }

    String name() {
        return name;
    }

    String node() {
        return node;
    }

    PipelinedConnection connection() {
        if (connection == null) {
            connection = redis.takePipelined(node);
        }
        return connection;
    }

    /**
     * Whether the server knows a command ({@code COMMAND INFO}), asked once per session on its connection: inside
     * the caller's retry, with none of its own. A server that will not say (an ACL without COMMAND) is taken to know
     * it, as {@link RedisEndpoint#knowsCommand} does.
     */
    boolean knowsCommand(String name) {
        Boolean known = commandsKnown.get(name);
        if (known == null) {
            PipelinedConnection redis = connection();
            RedisFuture<List<Object>> info = redis.reads().commandInfo(name);
            redis.flush();
            try {
                List<Object> reply = redis.await(info);
                known = !reply.isEmpty() && reply.get(0) != null;
            } catch (RedisCommandExecutionException refused) {
                if (TransientFaults.isTransient(refused)) {
                    throw refused;
                }
                known = true;
            }
            commandsKnown.put(name, known);
        }
        return known;
    }

    /** The masters as they are now; not retried (callers ask inside their own retry). */
    Topology topology() {
        return redis.topology();
    }

    /** What this session's server says of itself now; not retried (callers ask inside their own retry). */
    NodeView nodeView() {
        return redis.nodeView(node);
    }

    /** Whether this session's server is still a master: false for a cluster master that failed over or left. */
    boolean serverStillMaster() {
        return !redis.isCluster() || redis.topology().master(node).isPresent();
    }

    TransientFaults faults() {
        return redis.transientFaults();
    }

    /** How long one call and its retries can last. */
    Duration retryWindow() {
        return redis.retryWindow();
    }

    PartitionProgress progress() {
        return progress;
    }

    /**
     * Says that every command sent on this session's connection was answered (its partition completed), so that
     * {@link #close} hands the connection back for the next partition of the same server rather than closing it.
     */
    void connectionSettled() {
        connectionSettled = true;
    }

    @Override
    public void close() {
        if (connection == null) {
            return;
        }
        if (connectionSettled) {
            redis.handBack(node, connection);
        } else {
            connection.close();
        }
    }
}
