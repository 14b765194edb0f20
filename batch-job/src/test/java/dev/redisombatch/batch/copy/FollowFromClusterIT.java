package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.ClusterUsers;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.JarProcess;
import dev.redisombatch.batch.support.RedisCluster;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Users;
import dev.redisombatch.batch.support.WritingApplication;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --follow} from a 3-master cluster: every master subscribed to, an application writing through the cluster
 * during the copy and while following; after SIGTERM the target (one server) holds what the cluster holds, as
 * {@code verify --target.url --check-data} finds, users converted.
 */
class FollowFromClusterIT {

    private static final int USERS = 30_000;

    @RegisterExtension
    static final RedisCluster source = new RedisCluster(3, 0);

    @RegisterExtension
    static final RedisServer target = new RedisServer();

    @TempDir
    Path work;

    private String[] args(String job, String... extra) {
        String[] common = {
            "--job=" + job,
            "--redis.url=" + source.clusterUrl(),
            "--target.url=" + target.url(),
            "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
            "--datetime.keys=" + Users.PATTERN,
            "--datetime.fields=created_at",
            "--progress.interval=1"
        };
        String[] all = new String[common.length + extra.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(extra, 0, all, common.length, extra.length);
        return all;
    }

    @Test
    void everyMastersChangesAreFollowed() throws Exception {
        source.flushAll();
        target.commands().flushall();
        for (RedisCluster.Node master : source.masters()) {
            source.nodeCommands(master.port()).configSet("notify-keyspace-events", "KEA");
        }
        ClusterUsers.load(source, USERS, work);

        JarProcess run = JarProcess.start(work, args("migrateData", "--follow"));
        try (WritingApplication application = new WritingApplication(source.commands(), Users.PATTERN, USERS)) {
            application.start();
            while (!run.output().contains("following the source's changes into")) {
                assertThat(run.isAlive()).as(run.output()).isTrue();
                Thread.sleep(50);
            }
            long atFollowing = application.operations();
            while (application.operations() < atFollowing + 3_000 && run.isAlive()) {
                Thread.sleep(20);
            }
        }
        Thread.sleep(1_000); // past the short-lived keys' time to live
        run.terminate();
        JarProcess.Finished finished = run.waitFor();

        assertThat(finished.exitCode()).as(finished.output()).isZero();
        assertThat(finished.output()).contains("listening to the source's key-event notifications (3 masters");
        assertThat(finished.stdout()).contains("the target holds every change the source made while followed");
        Map<String, Map<String, String>> sourceUsers = ClusterUsers.snapshot(source, Users.PATTERN);
        Map<String, Map<String, String>> targetUsers = Users.snapshot(target, Users.PATTERN);
        assertThat(targetUsers.keySet()).isEqualTo(sourceUsers.keySet());
        assertThat(Users.wronglyMigrated(sourceUsers, targetUsers)).isZero();
        InProcessRun compared = InProcessRun.of(args("verify", "--check-data=true"));
        assertThat(compared.exitCode()).as(compared.output()).isZero();
    }
}
