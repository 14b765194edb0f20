package dev.redisombatch.batch.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which process table a pid belongs to: the kernel's boot id and this process's PID namespace (Linux). A host name
 * does not tell: containers that share one (Kubernetes hostNetwork pods, Docker's {@code network_mode: host}) each
 * have their own process table, so a pid alive in one is absent from the other. {@link #UNKNOWN} where the system does
 * not say (another OS, no /proc): such a process's lock is never taken over before its TTL.
 */
final class ProcessTable {

    static final String UNKNOWN = "unknown";
    private static final String THIS_ONE = read();

    private ProcessTable() {}

    /** This process's table, as {@code <boot id>/<pid namespace inode>}. */
    static String current() {
        return THIS_ONE;
    }

    private static String read() {
        try {
            String bootId =
                    Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            // The link reads pid:[4026531836]; the number names the namespace until the machine reboots.
            String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid"))
                    .toString()
                    .replaceAll("\\D", "");
            return bootId.isEmpty() || namespace.isEmpty() ? UNKNOWN : bootId + "/" + namespace;
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }
}
