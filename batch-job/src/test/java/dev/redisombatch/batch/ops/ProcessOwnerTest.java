package dev.redisombatch.batch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.ops.ProcessOwner.Liveness;
import dev.redisombatch.batch.state.RanBy;
import org.junit.jupiter.api.Test;

class ProcessOwnerTest {

    @Test
    void aProcessIsKnownAliveOrGoneOnlyFromThisSameProcessTable() {
        String host = RanBy.hostName();
        String table = ProcessTable.current();
        assertThat(table).as("this machine has /proc").isNotEqualTo(ProcessTable.UNKNOWN);
        // A pid above any pid_max Linux allows (4194304 at most) is gone.

        assertThat(ProcessOwner.liveness("migrateData pid " + Integer.MAX_VALUE + " on " + host + " (process table "
                        + table + ") since then [x]"))
                .isEqualTo(Liveness.GONE);
        assertThat(ProcessOwner.liveness(ProcessOwner.describe("migrateData"))).isEqualTo(Liveness.ALIVE);
        // This pid, alive, but started long after the process described: the pid was reused by another process.
        assertThat(ProcessOwner.liveness(
                        "migrateData pid " + ProcessHandle.current().pid() + " on " + host + " (process table " + table
                                + ") since 2020-01-01T00:00Z [x]"))
                .isEqualTo(Liveness.PID_REUSED);
        // Another PID namespace or another boot on a host of the same name: the pid says nothing here.
        assertThat(ProcessOwner.liveness("migrateData pid 999999 on " + host + " (process table "
                        + table.replaceAll("/\\d+$", "/1") + ") since then [x]"))
                .isEqualTo(Liveness.CANNOT_TELL);
        assertThat(ProcessOwner.liveness(
                        "migrateData pid 999999 on " + host + " (process table unknown)" + " since then [x]"))
                .isEqualTo(Liveness.CANNOT_TELL);
        // Written by a version that did not record its process table, or not at all.
        assertThat(ProcessOwner.liveness("migrateData pid 999999 on " + host + " since then [x]"))
                .isEqualTo(Liveness.CANNOT_TELL);
        assertThat(ProcessOwner.liveness(null)).isEqualTo(Liveness.CANNOT_TELL);
        assertThat(ProcessOwner.liveness(
                        "migrateData pid 999999 on elsewhere (process table " + table + ") since then"))
                .isEqualTo(Liveness.CANNOT_TELL);
    }
}
