package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sharded database behind one endpoint (Redis Cloud or Software with several shards, Azure Managed Redis): it
 * refuses a script over keys of several slots with CROSSSLOT. Here a cluster-mode server owning every slot, addressed
 * as a plain server, stands for it; before writes were grouped by slot, a run walked 100% and wrote nothing.
 */
class ShardedEndpointIT {

    private static final int USERS = 50_000;

    @RegisterExtension
    static final RedisServer redis = RedisServer.shardedBehindOneEndpoint();

    @TempDir
    Path work;

    private InProcessRun migrate(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at",
                "--partitions=4",
                "--threads=2"));
        args.addAll(List.of(extra));
        return InProcessRun.of(args.toArray(String[]::new));
    }

    @Test
    void slotGroupingForcedOffIsAConfigurationErrorNamingTheOptionNotARetry() {
        redis.commands().flushall();
        Users.load(redis, 5_000);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);

        InProcessRun run = migrate("--redis.slot-grouping=never");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output())
                .contains("CROSSSLOT")
                .contains("--redis.slot-grouping")
                .doesNotContain("run the same command again");
        assertThat(Users.snapshot(redis, Users.PATTERN)).isEqualTo(before);
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();
    }

    @Test
    void writesAreGroupedBySlotAndEveryUserIsConverted() {
        redis.commands().flushall();
        Users.load(redis, USERS);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);

        InProcessRun run = migrate();

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("refuses commands whose keys are in different hash slots")
                .contains("writes are grouped by slot");
        assertThat(Users.wronglyMigrated(before, Users.snapshot(redis, Users.PATTERN)))
                .isZero();
        long notYetNumeric = before.values().stream()
                .map(user -> user.get("created_at"))
                .filter(value -> value != null && !value.matches("-?\\d+(\\.\\d+)?"))
                .count();
        assertThat(redis.commands().hget(MigrationKind.DATA.recordKey(DatetimeFieldsToTimestamps.ID), "changed"))
                .isEqualTo(Long.toString(notYetNumeric));

        InProcessRun again = migrate();
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("nothing pending");
    }
}
