package dev.redisombatch.batch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real exporters against real (JDK) HTTP receivers on loopback. */
class MetricsExportTest {

    private static final Duration STEP = Duration.ofSeconds(1);
    private static final String COUNTER = "redis_om_batch.keys.read";

    private HttpServer receiver;
    private final List<Received> requests = new CopyOnWriteArrayList<>();

    record Received(String method, String path, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                requests.add(new Received(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        in.readAllBytes()));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String receiverAddress() {
        return "127.0.0.1:" + receiver.getAddress().getPort();
    }

    private static void countKeys(MeterRegistry registry, int keys) {
        Counter.builder(COUNTER).tag("migration", "m1").register(registry).increment(keys);
    }

    @Test
    void otlpReceivesProtobufOnClose() {
        MetricsExport export = MetricsExport.create("http://" + receiverAddress() + "/v1/metrics", null, STEP);
        countKeys(export.registry(), 42);

        export.close();

        assertThat(requests).anySatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/metrics");
            assertThat(request.contentType()).isEqualTo("application/x-protobuf");
            // OtlpMeterRegistry uses the dot naming convention: the name goes out unchanged.
            assertThat(request.text())
                    .contains(COUNTER)
                    .contains("migration")
                    .contains("m1")
                    .contains("service.name")
                    .contains("redis-om-batch");
        });
    }

    @Test
    void pushgatewayReceivesTextFormatOnClose() {
        MetricsExport export = MetricsExport.create(null, receiverAddress(), STEP);
        countKeys(export.registry(), 42);

        export.close();

        assertThat(requests).anySatisfy(request -> {
            assertThat(request.method()).isIn("PUT", "POST");
            assertThat(request.path()).startsWith("/metrics/job/redis-om-batch");
            assertThat(request.contentType()).startsWith("text/plain");
            assertThat(request.text())
                    .contains("redis_om_batch_keys_read")
                    .contains("migration=\"m1\"")
                    .contains("redis_om_batch_keys_read_total{migration=\"m1\"} 42.0");
        });
    }

    @Test
    void pushgatewayIsPushedEveryStepWhileTheRunLasts() throws InterruptedException {
        try (MetricsExport export =
                MetricsExport.create(null, "http://" + receiverAddress() + "/", Duration.ofMillis(100))) {
            countKeys(export.registry(), 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (requests.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(requests).as("a push before close").isNotEmpty();
            assertThat(requests.get(0).method()).isEqualTo("POST");
            assertThat(requests.get(0).path()).isEqualTo("/metrics/job/redis-om-batch");
        }
    }

    @Test
    void nothingConfiguredStillCountsAndClosesQuietly() {
        MetricsExport export = MetricsExport.create(null, " ", STEP);
        countKeys(export.registry(), 3);

        assertThat(export.registry()
                        .get(COUNTER)
                        .tag("migration", "m1")
                        .counter()
                        .count())
                .isEqualTo(3.0);
        assertThatCode(export::close).doesNotThrowAnyException();
        assertThatCode(export::close).doesNotThrowAnyException();
        assertThat(requests).isEmpty();
    }

    @Test
    void receiverThatIsDownDoesNotFailClose() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        MetricsExport export =
                MetricsExport.create("http://127.0.0.1:" + closedPort + "/v1/metrics", "127.0.0.1:" + closedPort, STEP);
        countKeys(export.registry(), 1);

        assertThatCode(export::close).doesNotThrowAnyException();
    }
}
