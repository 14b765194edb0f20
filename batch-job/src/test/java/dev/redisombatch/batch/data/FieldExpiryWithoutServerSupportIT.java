package dev.redisombatch.batch.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.FieldExpiryMigration;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.MigrationJars;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.UserFields;
import dev.redisombatch.batch.support.Users;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration asking field expiry times of a server without hash field expiration (the default Redis 7.0): the run
 * stops (exit 4) with one line naming the migration, the key and the field, before anything is written, even under
 * {@code --failure-mode=skip}, and a dry run stops the same way: a TTL is never silently dropped (issue 19, point 5).
 */
class FieldExpiryWithoutServerSupportIT {

    private static final int USERS = 5_000;

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    @Test
    void aMigrationAskingFieldExpiryStopsBeforeWritingAnything() throws Exception {
        redis.commands().flushall();
        Users.load(redis, USERS);
        UserFields.onEveryUser(
                redis,
                Users.snapshot(redis, Users.PATTERN).keySet(),
                (commands, key, index) -> commands.hset(key, Map.of("session", "s" + index, "token", "t" + index)));
        Map<String, Map<String, String>> before = Users.snapshot(redis, Users.PATTERN);
        Path jar = MigrationJars.of(work.resolve("migrations/expiry.jar"), FieldExpiryMigration.class);

        for (String mode : new String[] {"--failure-mode=skip", "--dry-run=true"}) {
            InProcessRun run = InProcessRun.of(
                    "--job=migrateData",
                    "--redis.url=" + redis.url(),
                    "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                    "--migrations.jars=" + jar,
                    "--partitions=4",
                    "--threads=2",
                    mode);

            System.out.println(mode + ": exit " + run.exitCode() + ", "
                    + run.output()
                            .lines()
                            .filter(line -> line.contains("no hash field expiration"))
                            .findFirst()
                            .orElse(""));
            assertThat(run.exitCode()).as(mode + "\n" + run.output()).isEqualTo(4);
            assertThat(run.output())
                    .as(mode)
                    .containsPattern(FieldExpiryMigration.ID + ": :app\\.models\\.User:\\w+:"
                            + " the transform sets or clears the expiry of field session, but this Redis has no hash field"
                            + " expiration \\(Redis 7\\.4 or later\\); not written")
                    .doesNotContain("\tat ");
            assertThat(Users.snapshot(redis, Users.PATTERN))
                    .as(mode + ": no user changed")
                    .isEqualTo(before);
            assertThat(redis.commands().sismember("redis_om:applied_migrations", FieldExpiryMigration.ID))
                    .isFalse();
        }
    }
}
