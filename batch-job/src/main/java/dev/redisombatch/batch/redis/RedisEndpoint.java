package dev.redisombatch.batch.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis server a run works on: one Lettuce client, a shared connection for small synchronous calls
 * ({@link #call}), and pipelined connections for the partitions (one each, since manual flushing is per connection).
 * Nothing here retries by itself: {@link #call} runs one retry loop around the connect and the command together.
 */
public final class RedisEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisEndpoint.class);

    private final RedisSettings settings;
    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final TransientFaults transientFaults;
    private StatefulRedisConnection<String, String> shared;
    private RedisClient resp2Client;

    public RedisEndpoint(RedisSettings settings) {
        this.settings = settings;
        this.uri = settings.uri();
        this.transientFaults = new TransientFaults(settings.retries());
        // Per-command latency histograms cost more than the commands themselves at hundreds of thousands of
        // commands a second; waits are bounded where the futures are awaited instead.
        this.resources = DefaultClientResources.builder()
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setDefaultTimeout(settings.timeout());
        client.setOptions(clientOptions(ProtocolVersion.RESP3));
        if (settings.tls() && settings.tlsVerify() == RedisSettings.TlsVerification.NONE) {
            log.warn("--redis.tls.verify=none: the server's certificate is not checked; anyone on the path can"
                    + " read and change what this run sends");
        }
    }

    /**
     * Lettuce 6.8 schedules a timer for every command unless told not to (seen in a profile), so replies are awaited
     * with their own deadline instead; commands given while disconnected fail at once, so that the retry loop, not a
     * silent queue, decides how long to wait for the server to come back.
     */
    private ClientOptions clientOptions(ProtocolVersion protocol) {
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                .protocolVersion(protocol)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).build())
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build());
        if (settings.tls()) {
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
            if (settings.tlsCaFile() != null) {
                ssl.trustManager(settings.tlsCaFile().toFile());
            }
            if (settings.tlsCertFile() != null) {
                ssl.keyManager(settings.tlsCertFile().toFile(), settings.tlsKeyFile().toFile(), null);
            }
            options.sslOptions(ssl.build());
        }
        return options.build();
    }

    /** host:port/db, with no credentials: safe to log and to use as a job parameter. */
    public String target() {
        return settings.target();
    }

    public Duration timeout() {
        return settings.timeout();
    }

    public TransientFaults transientFaults() {
        return transientFaults;
    }

    /** Runs one command on the shared connection (connecting first if needed), retrying transient faults. */
    public <T> T call(String what, Function<RedisCommands<String, String>, T> command) {
        return transientFaults.call(what, () -> command.apply(shared().sync()));
    }

    /** Runs one command on the shared connection once, without retrying: for callers that keep their own time. */
    public <T> T callOnce(Function<RedisCommands<String, String>, T> command) {
        return command.apply(shared().sync());
    }

    private synchronized StatefulRedisConnection<String, String> shared() {
        if (shared == null) {
            shared = client.connect();
        }
        return shared;
    }

    /**
     * A connection speaking RESP2. RediSearch 2.x answers FT.INFO with {@code -nan} doubles, which RESP3 clients
     * cannot parse; over RESP2 they arrive as strings. Not retried: callers connect inside their own retry.
     */
    public synchronized StatefulRedisConnection<String, String> openResp2() {
        if (resp2Client == null) {
            resp2Client = RedisClient.create(resources, uri);
            resp2Client.setDefaultTimeout(settings.timeout());
            resp2Client.setOptions(clientOptions(ProtocolVersion.RESP2));
        }
        return resp2Client.connect();
    }

    /** A new pipelined connection; not retried: callers connect inside their own retry. */
    public PipelinedConnection openPipelined() {
        return new PipelinedConnection(client.connect(ByteArrayCodec.INSTANCE), settings.timeout());
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
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
