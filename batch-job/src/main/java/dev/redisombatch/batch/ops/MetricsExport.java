package dev.redisombatch.batch.ops;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.ipc.http.HttpUrlConnectionSender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpHttpMetricsSender;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.micrometer.registry.otlp.OtlpMetricsSender;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the Micrometer registry of one CLI run and pushes it to the configured backends.
 *
 * <p>A run is a short-lived process (a cron job or a Kubernetes Job) that may finish before any scraper
 * visits it, so its metrics are pushed instead: to an OTLP endpoint and/or a Prometheus Pushgateway,
 * every {@code step} and once more on {@link #close()}. Registries are created directly; the app does
 * not use Spring Boot actuator. Exporting is best effort: a backend that is down is logged, never
 * allowed to fail the migration.
 */
public final class MetricsExport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsExport.class);

    static final String SERVICE_NAME = "redis-om-batch";
    static final String JOB_NAME = "redis-om-batch";
    private static final Duration DEFAULT_STEP = Duration.ofMinutes(1);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final CompositeMeterRegistry registry;
    private final List<Exporter> exporters;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetricsExport(CompositeMeterRegistry registry, List<Exporter> exporters) {
        this.registry = registry;
        this.exporters = exporters;
    }

    /** The registry of a run, pushing where the settings say; a malformed target is a configuration error. */
    public static MetricsExport create(MetricsSettings settings) {
        try {
            return create(settings.otlpUrl(), settings.pushgateway(), settings.step());
        } catch (IllegalArgumentException e) {
            throw new dev.redisombatch.batch.settings.InvalidSettingException(
                    settings.otlpUrl() != null && !settings.otlpUrl().isBlank() ? "metrics.otlp.url"
                            : "metrics.pushgateway", e.getMessage());
        }
    }

    /**
     * Creates the registry of a run.
     *
     * @param otlpUrl OTLP/HTTP metrics endpoint (e.g. {@code http://collector:4318/v1/metrics}), or
     *     null/blank when not configured
     * @param pushgatewayAddress Pushgateway address ({@code host:port} or {@code http(s)://host:port}),
     *     or null/blank when not configured
     * @param step how often to push while the run lasts (null: one minute)
     * @throws IllegalArgumentException if a configured target is malformed
     */
    public static MetricsExport create(String otlpUrl, String pushgatewayAddress, Duration step) {
        Duration interval = step == null ? DEFAULT_STEP : step;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("metrics step must be positive: " + step);
        }
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(new SimpleMeterRegistry());
        List<Exporter> exporters = new ArrayList<>();
        try {
            if (!isBlank(otlpUrl)) {
                exporters.add(OtlpExporter.start(otlpUrl.trim(), interval, composite));
            }
            if (!isBlank(pushgatewayAddress)) {
                exporters.add(PushgatewayExporter.start(pushgatewayAddress.trim(), interval, composite));
            }
        } catch (RuntimeException e) {
            exporters.forEach(Exporter::closeQuietly);
            composite.close();
            throw e;
        }
        return new MetricsExport(composite, List.copyOf(exporters));
    }

    /** The registry to record the run's meters in; it feeds every configured exporter. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Pushes the final values to every exporter and stops them. Never throws; safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Exporter exporter : exporters) {
            exporter.closeQuietly();
        }
        MigrationMeters.release(registry);
        try {
            registry.close();
        } catch (RuntimeException e) {
            log.warn("Could not close the metrics registry: {}", e.toString());
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * One push target. Logs the first failure of the periodic pushes and the failure of the final push
     * at WARN (naming the target), repeated periodic failures at DEBUG, so a dead backend does not flood
     * the log of a long migration.
     */
    private abstract static class Exporter {

        private final String target;
        private final AtomicBoolean warned = new AtomicBoolean();
        volatile boolean closing;

        Exporter(String target) {
            this.target = target;
        }

        final void failed(Throwable failure) {
            String cause = describe(failure);
            if (closing) {
                log.warn("Could not push the final metrics to {}: {}", target, cause);
            } else if (warned.compareAndSet(false, true)) {
                log.warn("Could not push metrics to {}: {} (the run goes on; repeated failures are logged at DEBUG)",
                        target, cause);
            } else {
                log.debug("Could not push metrics to {}: {}", target, cause);
            }
            log.debug("Metrics push failure for {}", target, failure);
        }

        final void closeQuietly() {
            closing = true;
            try {
                doClose();
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        abstract void doClose();

        private static String describe(Throwable failure) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = String.valueOf(failure.getMessage());
            return root == failure || message.contains(String.valueOf(root.getMessage()))
                    ? message
                    : message + " (" + root + ")";
        }
    }

    /** OTLP/HTTP protobuf; the registry publishes every step and, on close, once more. */
    private static final class OtlpExporter extends Exporter {

        private final OtlpMeterRegistry otlp;

        private OtlpExporter(String url, Duration step, CompositeMeterRegistry composite) {
            super("OTLP endpoint " + url);
            OtlpConfig config = new OtlpConfig() {
                @Override
                public String get(String key) {
                    return null; // everything else: Micrometer defaults and the standard OTEL_* variables
                }

                @Override
                public String url() {
                    return url;
                }

                @Override
                public Duration step() {
                    return step;
                }

                @Override
                public Map<String, String> resourceAttributes() {
                    // OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES may still name the service explicitly.
                    Map<String, String> attributes = new HashMap<>(OtlpConfig.super.resourceAttributes());
                    attributes.putIfAbsent("service.name", SERVICE_NAME);
                    return attributes;
                }
            };
            OtlpMetricsSender http =
                    new OtlpHttpMetricsSender(new HttpUrlConnectionSender(CONNECT_TIMEOUT, READ_TIMEOUT));
            this.otlp = OtlpMeterRegistry.builder(config)
                    .clock(Clock.SYSTEM)
                    .threadFactory(daemonThreads("metrics-otlp"))
                    .metricsSender(request -> {
                        try {
                            http.send(request);
                        } catch (Exception e) {
                            failed(e); // reported here, with the target, instead of by Micrometer
                        }
                    })
                    .build();
            composite.add(otlp);
        }

        static OtlpExporter start(String url, Duration step, CompositeMeterRegistry composite) {
            return new OtlpExporter(url, step, composite);
        }

        @Override
        void doClose() {
            otlp.close(); // stops the schedule and publishes the last values
        }
    }

    /** Prometheus text format, pushed with POST (pushAdd) to the Pushgateway's group of this job. */
    private static final class PushgatewayExporter extends Exporter {

        private final PrometheusMeterRegistry prometheus;
        private final PushGateway pushGateway;
        private final ScheduledExecutorService timer;

        private PushgatewayExporter(
                String target, PrometheusMeterRegistry prometheus, PushGateway pushGateway, Duration step) {
            super(target);
            this.prometheus = prometheus;
            this.pushGateway = pushGateway;
            this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("metrics-pushgateway"));
            long millis = step.toMillis();
            timer.scheduleAtFixedRate(this::push, millis, millis, TimeUnit.MILLISECONDS);
        }

        static PushgatewayExporter start(String address, Duration step, CompositeMeterRegistry composite) {
            Scheme scheme = Scheme.HTTP;
            String hostPort = address;
            if (hostPort.regionMatches(true, 0, "https://", 0, 8)) {
                scheme = Scheme.HTTPS;
                hostPort = hostPort.substring(8);
            } else if (hostPort.regionMatches(true, 0, "http://", 0, 7)) {
                hostPort = hostPort.substring(7);
            }
            while (hostPort.endsWith("/")) {
                hostPort = hostPort.substring(0, hostPort.length() - 1);
            }
            if (hostPort.isEmpty()) {
                throw new IllegalArgumentException("invalid Pushgateway address: " + address);
            }
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            PushGateway pushGateway;
            try {
                pushGateway = PushGateway.builder()
                        .scheme(scheme)
                        .address(hostPort)
                        .job(JOB_NAME)
                        .registry(prometheus.getPrometheusRegistry())
                        .format(Format.PROMETHEUS_TEXT)
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .readTimeout(READ_TIMEOUT)
                        .build();
            } catch (RuntimeException e) {
                prometheus.close();
                throw new IllegalArgumentException("invalid Pushgateway address: " + address, e);
            }
            String target = "Pushgateway " + scheme + "://" + hostPort + "/metrics/job/" + JOB_NAME;
            composite.add(prometheus);
            return new PushgatewayExporter(target, prometheus, pushGateway, step);
        }

        private void push() {
            try {
                pushGateway.pushAdd();
            } catch (Exception e) { // a scheduled task that throws is never run again
                failed(e);
            }
        }

        @Override
        void doClose() {
            timer.shutdown();
            try {
                if (!timer.awaitTermination(READ_TIMEOUT.plus(CONNECT_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS)) {
                    timer.shutdownNow();
                }
            } catch (InterruptedException e) {
                timer.shutdownNow();
                Thread.currentThread().interrupt();
            }
            push();
            prometheus.close();
        }
    }
}
