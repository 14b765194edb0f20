package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
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
        boolean allowEdited) {

    public static final int DEFAULT_WAIT_TIMEOUT_SECONDS = 3600;
    public static final boolean DEFAULT_ALLOW_EDITED = false;

    public SchemaSettings {
        InvalidSettingException.requirePositive("schema.wait-timeout", waitTimeout);
    }

    public static SchemaSettings defaults() {
        return new SchemaSettings(null, Duration.ofSeconds(DEFAULT_WAIT_TIMEOUT_SECONDS), DEFAULT_ALLOW_EDITED);
    }

    /** The mode given as an option, over every file's; empty when not given. */
    public Optional<ReplaceMode> modeOverride() {
        return Optional.ofNullable(mode);
    }
}
