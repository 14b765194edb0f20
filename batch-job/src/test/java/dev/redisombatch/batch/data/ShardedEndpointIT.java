package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JarProcess;
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
        return InProcessRun.of(arguments(extra));
    }

    private String[] arguments(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--datetime.keys=" + Users.PATTERN,
                "--datetime.fields=created_at",
                "--partitions=4",
                "--threads=2"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
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

    /**
     * A sharded database that refuses keyed commands for a while (CLUSTERDOWN, here while one slot has no owner) still
     * answers SCAN: the pages whose documents could not be read meanwhile are read again once it serves them. Before,
     * each retry went on to the next page, and the run said "applied" over the users of the pages passed over.
     */
    @Test
    void pagesWhoseDocumentsCouldNotBeReadForAWhileAreReadAgain() throws Exception {
        redis.commands().flushall();
        Users.load(redis, USERS);
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);

        // Small pages: a walk of several seconds, so that the refusal falls within it.
        JarProcess run =
                JarProcess.start(work, arguments("--scan-count=20", "--chunk-size=20", "--progress.interval=1"));
        long deadline = System.currentTimeMillis() + 120_000;
        while (!run.output().matches("(?s).*walked, [1-9][\\d,]{2,} read.*")) {
            assertThat(run.isAlive() && System.currentTimeMillis() < deadline)
                    .as("no progress:%n%s", run.output())
                    .isTrue();
            Thread.sleep(50);
        }
        redis.commands().clusterDelSlots(0);
        Thread.sleep(2_500);
        redis.commands().clusterAddSlots(0);
        JarProcess.Finished finished = run.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isZero();
        assertThat(finished.output()).as("the refusal fell within the walk").contains("CLUSTERDOWN");
        Map<String, Map<String, String>> after = Users.snapshot(redis, Users.PATTERN);
        assertThat(Users.wronglyMigrated(before, after)).isZero();
        assertThat(after.values().stream()
                        .map(user -> user.get("created_at"))
                        .filter(value -> value != null && !value.matches("-?\\d+(\\.\\d+)?"))
                        .count())
                .as("users left unconverted")
                .isZero();
    }
}
