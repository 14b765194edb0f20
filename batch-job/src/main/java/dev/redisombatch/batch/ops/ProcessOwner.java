package dev.redisombatch.batch.ops;

import dev.redisombatch.batch.state.RanBy;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's process as the records that outlive it name it: {@code <job> pid <pid> on <host> (process table <table>)
 * since <time in its time zone>}. The run lock's holder is one ({@link RunLease}), a data run's job execution
 * carries one. Whether such a process is still alive can be told only from the same process table
 * ({@link ProcessTable}): a pid says nothing on another host, in another container or after a reboot.
 */
public final class ProcessOwner {

    private static final Pattern DESCRIBED =
            Pattern.compile("\\S+ pid (\\d+) on (\\S+) \\(process table (\\S+)\\) since (\\S+).*");
    /**
     * A pid taken by a process started this long after the one described is another process's: the pid was reused.
     * Generous, since a system clock set forward since would look the same.
     */
    private static final long STARTED_AFTER_SECONDS = 60;

    /** What can be told of a described process from here. */
    public enum Liveness {
        ALIVE,
        /**
         * A process has its pid, but started a minute or more after the one described: most likely that pid was
         * reused, though a system clock set forward by that much since would look the same.
         */
        PID_REUSED,
        GONE,
        /** Another process table, one that is unknown, or a description that names none (an older version's). */
        CANNOT_TELL
    }

    private ProcessOwner() {}

    /** This process, running {@code job}, from now (in its time zone, that of Spring Batch's local times). */
    public static String describe(String job) {
        // ProcessHandle, not the runtime MXBean: the same pid without loading JMX at every start.
        return job + " pid " + ProcessHandle.current().pid() + " on " + RanBy.hostName() + " (process table "
                + ProcessTable.current() + ") since " + ZonedDateTime.now();
    }

    public static Liveness liveness(String described) {
        Matcher matcher = DESCRIBED.matcher(described == null ? "" : described);
        if (!matcher.matches()
                || !matcher.group(2).equals(RanBy.hostName())
                || matcher.group(3).equals(ProcessTable.UNKNOWN)
                || !matcher.group(3).equals(ProcessTable.current())) {
            return Liveness.CANNOT_TELL;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(matcher.group(1)));
        if (process.isEmpty() || !process.get().isAlive()) {
            return Liveness.GONE;
        }
        Optional<Instant> started = process.get().info().startInstant();
        Optional<ZonedDateTime> since = since(matcher.group(4));
        boolean reused = started.isPresent()
                && since.isPresent()
                && started.get().isAfter(since.get().toInstant().plusSeconds(STARTED_AFTER_SECONDS));
        return reused ? Liveness.PID_REUSED : Liveness.ALIVE;
    }

    /** The time zone of the described process: that of the local times it wrote elsewhere. */
    public static Optional<ZoneId> zone(String described) {
        Matcher matcher = DESCRIBED.matcher(described == null ? "" : described);
        return matcher.matches() ? since(matcher.group(4)).map(ZonedDateTime::getZone) : Optional.empty();
    }

    private static Optional<ZonedDateTime> since(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text));
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }
}
