package dev.redisombatch.batch.ops;

import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.convert.DurationUnit;

/** Where the run's metrics are pushed, if anywhere. */
public record MetricsSettings(
        @Name("metrics.otlp.url")
        @Help(
                value = "Push metrics over OTLP/HTTP to this URL, e.g. http://collector:4318/v1/metrics.",
                placeholder = "URL")
        String otlpUrl,

        @Name("metrics.pushgateway")
        @Help(
                value = "Push metrics to this Prometheus Pushgateway, host:port (job redis-om-batch).",
                placeholder = "HOST:PORT")
        String pushgateway,

        @Name("metrics.step")
        @DefaultValue("" + MetricsSettings.DEFAULT_STEP_SECONDS)
        @DurationUnit(ChronoUnit.SECONDS)
        @Help(
                value = "Seconds between metric pushes; a last push happens at the end of the run.",
                placeholder = "SECONDS")
        Duration step) {

    public static final int DEFAULT_STEP_SECONDS = 10;

    public MetricsSettings {
        InvalidSettingException.requirePositive("metrics.step", step);
    }

    public static MetricsSettings none() {
        return new MetricsSettings(null, null, Duration.ofSeconds(DEFAULT_STEP_SECONDS));
    }
}
