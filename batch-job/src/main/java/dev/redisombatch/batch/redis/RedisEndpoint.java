package dev.redisombatch.batch.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;

/**
 * The Redis server a run works on: one Lettuce client, a shared connection for small synchronous calls, and
 * pipelined connections for the partitions (one each, since manual flushing is per connection).
 */
public final class RedisEndpoint implements AutoCloseable {

    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final Duration timeout;
    private final TransientFaults transientFaults;
    private StatefulRedisConnection<String, String> shared;
    private RedisClient resp2Client;

    public RedisEndpoint(RedisURI uri, Duration timeout, TransientFaults transientFaults) {
        this.uri = uri;
        this.timeout = timeout;
        this.transientFaults = transientFaults;
        // Per-command latency histograms and per-command timeout timers cost more than the commands themselves at
        // hundreds of thousands of commands a second; waits are bounded where the futures are awaited instead.
        this.resources = DefaultClientResources.builder()
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setDefaultTimeout(timeout);
        // Lettuce 6.8 schedules a timer for every command unless told not to (seen in a profile).
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build()).build());
    }

    /** host:port/db, with no credentials: safe to log and to use as a job parameter. */
    public String target() {
        return uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    public TransientFaults transientFaults() {
        return transientFaults;
    }

    /** Commands on the shared connection; opens it (retrying transient faults) on first use. */
    public synchronized RedisCommands<String, String> sync() {
        if (shared == null) {
            shared = transientFaults.call("connect to " + target(), client::connect);
        }
        return shared.sync();
    }

    /**
     * A connection speaking RESP2. RediSearch 2.x answers FT.INFO with {@code -nan} doubles, which RESP3 clients
     * cannot parse; over RESP2 they arrive as strings.
     */
    public synchronized StatefulRedisConnection<String, String> openResp2() {
        if (resp2Client == null) {
            resp2Client = RedisClient.create(resources, uri);
            resp2Client.setDefaultTimeout(timeout);
            resp2Client.setOptions(ClientOptions.builder().autoReconnect(true)
                    .protocolVersion(ProtocolVersion.RESP2).build());
        }
        return transientFaults.call("connect to " + target(), resp2Client::connect);
    }

    public PipelinedConnection openPipelined() {
        return new PipelinedConnection(transientFaults.call("connect to " + target(), client::connect), timeout);
    }

    @Override
    public synchronized void close() {
        if (shared != null) {
            shared.close();
        }
        if (resp2Client != null) {
            resp2Client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
