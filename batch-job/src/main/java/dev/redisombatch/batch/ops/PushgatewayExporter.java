package dev.redisombatch.batch.ops;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prometheus text format, pushed with POST (pushAdd) to the Pushgateway's group of this job. */
final class PushgatewayExporter extends MetricsExporter {

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
                    .job(MetricsExport.JOB_NAME)
                    .registry(prometheus.getPrometheusRegistry())
                    .format(Format.PROMETHEUS_TEXT)
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .readTimeout(READ_TIMEOUT)
                    .build();
        } catch (RuntimeException e) {
            prometheus.close();
            throw new IllegalArgumentException("invalid Pushgateway address: " + address, e);
        }
        String target = "Pushgateway " + scheme + "://" + hostPort + "/metrics/job/" + MetricsExport.JOB_NAME;
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
