package dev.redisombatch.batch.ops;

import dev.redisombatch.batch.settings.InvalidSettingException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    private final CompositeMeterRegistry registry;
    private final List<MetricsExporter> exporters;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetricsExport(CompositeMeterRegistry registry, List<MetricsExporter> exporters) {
        this.registry = registry;
        this.exporters = exporters;
    }

    /** The registry of a run, pushing where the settings say; a malformed target is a configuration error. */
    public static MetricsExport create(MetricsSettings settings) {
        try {
            return create(settings.otlpUrl(), settings.pushgateway(), settings.step());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(
                    settings.otlpUrl() != null && !settings.otlpUrl().isBlank()
                            ? "metrics.otlp.url"
                            : "metrics.pushgateway",
                    e.getMessage());
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
        List<MetricsExporter> exporters = new ArrayList<>();
        try {
            if (!isBlank(otlpUrl)) {
                exporters.add(OtlpExporter.start(otlpUrl.trim(), interval, composite));
            }
            if (!isBlank(pushgatewayAddress)) {
                exporters.add(PushgatewayExporter.start(pushgatewayAddress.trim(), interval, composite));
            }
        } catch (RuntimeException e) {
            exporters.forEach(MetricsExporter::closeQuietly);
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
        for (MetricsExporter exporter : exporters) {
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
}
