package dev.redisombatch.batch.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.EventBus;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import reactor.core.publisher.Flux;

/** How this tool sets Lettuce up: the resources and client options every {@link RedisEndpoint} client gets. */
final class LettuceOptions {

    private LettuceOptions() {}

    static {
        // Lettuce records its connection events as JFR events when JFR is there: loading JFR costs a tenth of a
        // second at every start, for events nobody here reads. A -Dio.lettuce.core.jfr=true given still wins.
        if (System.getProperty("io.lettuce.core.jfr") == null) {
            System.setProperty("io.lettuce.core.jfr", "false");
        }
    }

    /** Lettuce's default event bus starts Reactor's machinery for every client; nothing here listens to it. */
    private static final EventBus NO_EVENTS = new EventBus() {
        @Override
        public Flux<Event> get() {
            return Flux.empty();
        }

        @Override
        public void publish(Event event) {}
    };

    /**
     * Resources without per-command latency histograms, which cost more than the commands themselves at hundreds of
     * thousands of commands a second (waits are bounded where the futures are awaited instead), and without events.
     */
    static ClientResources clientResources() {
        return DefaultClientResources.builder()
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .eventBus(NO_EVENTS)
                .build();
    }

    /**
     * Lettuce 6.8 schedules a timer for every command unless told not to (seen in a profile), so replies are awaited
     * with their own deadline instead; commands given while disconnected fail at once, so that the retry loop, not a
     * silent queue, decides how long to wait for the server to come back.
     */
    static ClientOptions clientOptions(RedisSettings settings, ProtocolVersion protocol) {
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                .protocolVersion(protocol)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.timeout())
                        .build())
                .timeoutOptions(TimeoutOptions.builder().timeoutCommands(false).build());
        if (settings.tls()) {
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
            if (settings.tlsCaFile() != null) {
                ssl.trustManager(settings.tlsCaFile().toFile());
            }
            if (settings.tlsCertFile() != null) {
                ssl.keyManager(
                        settings.tlsCertFile().toFile(), settings.tlsKeyFile().toFile(), null);
            }
            options.sslOptions(ssl.build());
        }
        return options.build();
    }
}
