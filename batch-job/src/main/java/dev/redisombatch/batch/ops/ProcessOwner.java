package dev.redisombatch.batch.ops;

import dev.redisombatch.batch.state.RanBy;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's process as the records that outlive it name it: {@code <job> pid <pid> on <host> (process table <table>)
 * since <instant>}. The run lock's holder is one ({@link RunLease}), a data run's job execution carries one. Whether
 * such a process is still alive can be told only from the same process table ({@link ProcessTable}): a pid says
 * nothing on another host, in another container or after a reboot.
 */
public final class ProcessOwner {

    private static final Pattern DESCRIBED =
            Pattern.compile("\\S+ pid (\\d+) on (\\S+) \\(process table (\\S+)\\) since .*");

    /** What can be told of a described process from here. */
    public enum Liveness {
        ALIVE,
        GONE,
        /** Another process table, one that is unknown, or a description that names none (an older version's). */
        CANNOT_TELL
    }

    private ProcessOwner() {}

    /** This process, running {@code job}, from now. */
    public static String describe(String job) {
        // ProcessHandle, not the runtime MXBean: the same pid without loading JMX at every start.
        return job + " pid " + ProcessHandle.current().pid() + " on " + RanBy.hostName() + " (process table "
                + ProcessTable.current() + ") since " + Instant.now();
    }

    public static Liveness liveness(String described) {
        Matcher matcher = DESCRIBED.matcher(described == null ? "" : described);
        if (!matcher.matches()
                || !matcher.group(2).equals(RanBy.hostName())
                || matcher.group(3).equals(ProcessTable.UNKNOWN)
                || !matcher.group(3).equals(ProcessTable.current())) {
            return Liveness.CANNOT_TELL;
        }
        boolean alive = ProcessHandle.of(Long.parseLong(matcher.group(1)))
                .map(ProcessHandle::isAlive)
                .orElse(false);
        return alive ? Liveness.ALIVE : Liveness.GONE;
    }
}
