package dev.redisombatch.batch.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which server the test harness starts, by its two executables: Debian's {@code redis-server} 7.0 (one hash table
 * per node), or {@code valkey-server} 8 from bookworm-backports, whose cluster nodes keep one table per hash slot and
 * put the slot in the SCAN cursor. Valkey 8 speaks the same protocol and takes the same options for what these tests
 * do.
 *
 * @param name for messages and test names
 * @param install how to get the two, for the reason a test is skipped
 */
public record ServerBinaries(String name, String server, String cli, String install) {

    public static final ServerBinaries REDIS = new ServerBinaries(
            "Redis", "redis-server", "redis-cli", "apt-get install redis-server; scripts/install-test-deps.sh does it");
    public static final ServerBinaries VALKEY = new ServerBinaries(
            "Valkey",
            "valkey-server",
            "valkey-cli",
            "apt-get install -t bookworm-backports valkey-server valkey-tools on Debian bookworm;"
                    + " scripts/install-test-deps.sh does it");

    /** Why they cannot be started here, if they cannot. */
    public Optional<String> missing() {
        for (String executable : List.of(server, cli)) {
            if (ChildProcesses.findOnPath(executable) == null) {
                return Optional.of(executable + " is not installed (" + install + ")");
            }
        }
        return Optional.empty();
    }

    public Path serverPath() {
        return ChildProcesses.findOnPath(server);
    }

    public Path cliPath() {
        return ChildProcesses.findOnPath(cli);
    }
}
