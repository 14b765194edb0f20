package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.redis.RedisUrl;
import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import dev.redisombatch.batch.settings.Secret;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.convert.DurationUnit;

/** How schema (index) migrations are applied. */
public record SchemaSettings(
        @Name("schema.mode")
        @Help(
                value = "recreate or zero-downtime: how indexes are replaced, over each file's own mode (default:"
                        + " the file's mode, else zero-downtime).",
                placeholder = "MODE")
        ReplaceMode mode,

        @Name("schema.wait-timeout")
        @DefaultValue("" + SchemaSettings.DEFAULT_WAIT_TIMEOUT_SECONDS)
        @DurationUnit(ChronoUnit.SECONDS)
        @Help(
                value = "How long to wait for an index to be built before failing; the same command then keeps"
                        + " waiting.",
                placeholder = "SECONDS")
        Duration waitTimeout,

        @Name("schema.allow-edited")
        @DefaultValue("" + SchemaSettings.DEFAULT_ALLOW_EDITED)
        @Help(
                value = "Run although applied schema migration files were edited since (see also --allow-edited).",
                placeholder = "BOOL")
        boolean allowEdited,

        @Name(SchemaSettings.DESIRED_FROM)
        @Secret
        @Help(
                value = "migrateSchema --command=create: read the definitions indexes should have from every index of"
                        + " this reference Redis (redis://[user:password@]host:port[/db]; only read) instead of"
                        + " models/ (default: models/); status, migrateSchema --command=status: also show how the"
                        + " live indexes differ from it. Other jobs refuse it.",
                placeholder = "URL")
        String desiredFrom,

        @Name("index")
        @DefaultValue
        @Help(
                value = "migrateSchema --command=create, and status with --desired-from: only these indexes"
                        + " (comma-separated; default: every one the desired definitions name). Other jobs refuse"
                        + " it.",
                placeholder = "NAME,...")
        List<String> indexes) {

    public static final int DEFAULT_WAIT_TIMEOUT_SECONDS = 3600;
    public static final boolean DEFAULT_ALLOW_EDITED = false;
    /** The option naming the reference Redis, as errors about it name it. */
    public static final String DESIRED_FROM = "desired-from";

    public SchemaSettings {
        InvalidSettingException.requirePositive("schema.wait-timeout", waitTimeout);
        indexes = indexes == null ? List.of() : List.copyOf(indexes);
        if (desiredFrom != null) {
            RedisUrl.of(DESIRED_FROM, desiredFrom);
        }
    }

    public static SchemaSettings defaults() {
        return new SchemaSettings(
                null, Duration.ofSeconds(DEFAULT_WAIT_TIMEOUT_SECONDS), DEFAULT_ALLOW_EDITED, null, List.of());
    }

    /** {@code create} against {@code url} as the reference Redis, limited to {@code indexes} (empty: every one). */
    public SchemaSettings withDesiredFrom(String url, List<String> indexes) {
        return new SchemaSettings(mode, waitTimeout, allowEdited, url, indexes);
    }

    /** The reference Redis {@code create} reads desired definitions from (and status compares with); else empty. */
    public Optional<RedisUrl> desiredFromReference() {
        return Optional.ofNullable(desiredFrom).map(url -> RedisUrl.of(DESIRED_FROM, url));
    }

    /** The mode given as an option, over every file's; empty when not given. */
    public Optional<ReplaceMode> modeOverride() {
        return Optional.ofNullable(mode);
    }
}
