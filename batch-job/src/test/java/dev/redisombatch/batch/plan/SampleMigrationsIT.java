package dev.redisombatch.batch.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.Samples;
import dev.redisombatch.batch.support.Users;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The sample-migrations jar given with --migrations.jars, as a user would pass their own. */
class SampleMigrationsIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    @BeforeEach
    void users() {
        redis.commands().flushall();
        Users.load(redis, 5_000);
    }

    private InProcessRun migrate(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--migrations.jars=" + Samples.jar()));
        args.addAll(List.of(extra));
        return InProcessRun.of(args.toArray(String[]::new));
    }

    @Test
    void runsTheChainInDependencyOrderAndAppliesEveryMigration() {
        InProcessRun run = migrate("--datetime.keys=" + Users.PATTERN, "--datetime.fields=created_at");

        assertThat(run.exitCode()).as(run.output()).isZero();
        String output = run.output();
        assertThat(output.indexOf("001_datetime_fields_to_timestamps: applied"))
                .isLessThan(output.indexOf("20260101_000400_populate_missing_created_at: applied"));
        assertThat(output.indexOf("20260101_000100_normalize_emails: applied"))
                .isLessThan(output.indexOf("20260101_000200_add_email_domain: applied"));
        // No Customer JSON documents here: that migration matched nothing, so it stays pending.
        assertThat(output).contains("20260201_000100_rename_zip_to_postal_code: left pending");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet()))
                .containsExactlyInAnyOrder(
                        DatetimeFieldsToTimestamps.ID,
                        "20260101_000100_normalize_emails",
                        "20260101_000200_add_email_domain",
                        "20260101_000300_split_name",
                        "20260101_000400_populate_missing_created_at");
        for (Map<String, String> user : Users.snapshot(redis, Users.PATTERN).values()) {
            assertThat(user)
                    .containsKeys("first_name", "email_domain", "created_at")
                    .doesNotContainKey("name");
            assertThat(user.get("email")).isEqualTo(user.get("email").strip().toLowerCase(Locale.ROOT));
            assertThat(user.get("created_at")).matches("\\d+\\.\\d+");
        }
    }

    @Test
    void aDependencyThatIsNeitherKnownNorAppliedStopsThePlanBeforeAnyWrite() {
        Map<String, Map<String, String>> before = Users.snapshot(redis, "*");

        InProcessRun run = migrate();

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.output())
                .contains("20260101_000400_populate_missing_created_at")
                .contains(DatetimeFieldsToTimestamps.ID)
                .contains("neither known nor applied");
        assertThat(Users.snapshot(redis, "*")).isEqualTo(before);
    }

    @Test
    void limitRunsAtMostThatManyMigrations() {
        InProcessRun run = migrate("--datetime.keys=" + Users.PATTERN, "--datetime.fields=created_at", "--limit=2");

        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).contains("--limit=2 reached");
        assertThat(redis.commands().scard(MigrationKind.DATA.appliedSet())).isEqualTo(2);
    }
}
