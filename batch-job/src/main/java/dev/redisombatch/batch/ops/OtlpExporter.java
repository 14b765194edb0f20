package dev.redisombatch.batch.ops;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.ipc.http.HttpUrlConnectionSender;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpHttpMetricsSender;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.micrometer.registry.otlp.OtlpMetricsSender;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** OTLP/HTTP protobuf; the registry publishes every step and, on close, once more. */
final class OtlpExporter extends MetricsExporter {

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
                // OTEL_MetricsExport.SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES may still name the service explicitly.
                Map<String, String> attributes = new HashMap<>(OtlpConfig.super.resourceAttributes());
                attributes.putIfAbsent("service.name", MetricsExport.SERVICE_NAME);
                return attributes;
            }
        };
        OtlpMetricsSender http = new OtlpHttpMetricsSender(new HttpUrlConnectionSender(CONNECT_TIMEOUT, READ_TIMEOUT));
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
