package dev.redisombatch.batch.ops;

import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.convert.DurationUnit;

/** The run lock: one run at a time per Redis database. */
public record LockSettings(
        @Name("lock.ttl")
        @DefaultValue("" + LockSettings.DEFAULT_TTL_SECONDS)
        @DurationUnit(ChronoUnit.SECONDS)
        @Help(
                value = "Lifetime of the run's lock, renewed every third of it; a killed run's lock expires after"
                        + " this (at once when its process is gone from this host).",
                placeholder = "SECONDS")
        Duration ttl,

        @Name("force-unlock")
        @DefaultValue("" + LockSettings.DEFAULT_FORCE_UNLOCK)
        @Help(
                value = "Remove another run's lock first. Only when that run is known to be dead: otherwise two runs"
                        + " write at once.",
                placeholder = "BOOL")
        boolean forceUnlock) {

    public static final int DEFAULT_TTL_SECONDS = 30;
    public static final boolean DEFAULT_FORCE_UNLOCK = false;

    public LockSettings {
        if (ttl == null || ttl.toMillis() < 3000) {
            throw new InvalidSettingException("lock.ttl", ttl + " is too short: must be at least 3 seconds");
        }
    }

    public static LockSettings defaults() {
        return new LockSettings(Duration.ofSeconds(DEFAULT_TTL_SECONDS), DEFAULT_FORCE_UNLOCK);
    }

    public LockSettings withTtl(Duration ttl) {
        return new LockSettings(ttl, forceUnlock);
    }
}
