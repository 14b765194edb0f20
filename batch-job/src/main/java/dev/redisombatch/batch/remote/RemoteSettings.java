package dev.redisombatch.batch.remote;

import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import dev.redisombatch.batch.settings.OptionDefaults;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/** Where a data migration's partitions run: in this process, or in worker processes that take them from a queue. */
public record RemoteSettings(
        @Name("workers")
        @DefaultValue(RemoteSettings.DEFAULT_WORKERS)
        @Help(
                value = "migrateData, rollback: where partitions run: local (--threads of this process) or remote"
                        + " (worker processes started with --job=worker take them from a queue in the job repository, which"
                        + " must then be PostgreSQL).",
                placeholder = "WHERE")
        Workers workers,

        @Name("worker.poll-interval")
        @DefaultValue(RemoteSettings.DEFAULT_POLL_INTERVAL_SECONDS + "s")
        @Help(
                value = "worker: how long an idle worker waits before it looks for a partition again.",
                placeholder = "DURATION")
        Duration pollInterval,

        @Name("worker.idle-exit")
        @DefaultValue(RemoteSettings.DEFAULT_IDLE_EXIT_SECONDS + "s")
        @Help(
                value = "worker: exit 0 after this long with no partition to run; 0 never exits (a Deployment)."
                        + " Give one to workers run as a Job.",
                placeholder = "DURATION")
        Duration idleExit,

        @Name("worker.stall-timeout")
        @DefaultValue(RemoteSettings.DEFAULT_STALL_TIMEOUT_MINUTES + "m")
        @Help(
                value = "migrateData, rollback with --workers=remote: end the run with exit 1 (resumable) when no"
                        + " partition has been taken by a worker or has committed a page for this long (no worker runs, or"
                        + " every one is stuck); 0 waits for ever.",
                placeholder = "DURATION")
        Duration stallTimeout) {

    /** Where partitions run. */
    public enum Workers {
        local,
        remote
    }

    public static final String DEFAULT_WORKERS = "local";
    public static final int DEFAULT_POLL_INTERVAL_SECONDS = 1;
    public static final int DEFAULT_IDLE_EXIT_SECONDS = 0;
    public static final int DEFAULT_STALL_TIMEOUT_MINUTES = 5;

    public RemoteSettings {
        InvalidSettingException.requirePositive("worker.poll-interval", pollInterval);
        if (idleExit.isNegative()) {
            throw new InvalidSettingException("worker.idle-exit", idleExit + ": must not be negative");
        }
        if (stallTimeout.isNegative()) {
            throw new InvalidSettingException("worker.stall-timeout", stallTimeout + ": must not be negative");
        }
    }

    public static RemoteSettings defaults() {
        return new RemoteSettings(
                OptionDefaults.constant(Workers.class, DEFAULT_WORKERS),
                Duration.ofSeconds(DEFAULT_POLL_INTERVAL_SECONDS),
                Duration.ofSeconds(DEFAULT_IDLE_EXIT_SECONDS),
                Duration.ofMinutes(DEFAULT_STALL_TIMEOUT_MINUTES));
    }

    public boolean remote() {
        return workers == Workers.remote;
    }
}
