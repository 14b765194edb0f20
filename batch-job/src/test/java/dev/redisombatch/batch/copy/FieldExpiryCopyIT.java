package dev.redisombatch.batch.copy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hashes with fields that expire (Redis 7.4+, {@code REDIS_HFE_SERVER}), copied as they are (no migration selects
 * them): DUMP and RESTORE keep each field's expiry time, and {@code verify --target.url --check-data} tells a field
 * whose expiry the target lost, though the hash's fields and values are equal. Skipped, with the reason, without such
 * a server.
 */
class FieldExpiryCopyIT {

    private static final int HASHES = 500;
    private static final long ONE_HOUR_MS = 3_600_000;

    @RegisterExtension
    static final RedisServer source = RedisServer.withFieldExpiration();

    @RegisterExtension
    static final RedisServer target = RedisServer.withFieldExpiration();

    @TempDir
    Path work;

    private InProcessRun run(String job, String... extra) {
        String[] args = {
            "--job=" + job,
            "--redis.url=" + source.url(),
            "--target.url=" + target.url(),
            "--job-repository.url=jdbc:h2:file:" + work.resolve("repo")
        };
        String[] all = new String[args.length + extra.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return InProcessRun.of(all);
    }

    @Test
    void fieldExpiryTimesAreCopiedAndALostOneIsFound() {
        RedisCommands<String, String> here = source.commands();
        here.flushall();
        target.commands().flushall();
        for (int i = 0; i < HASHES; i++) {
            String key = "session:" + i;
            here.hset(key, "token", "t" + i);
            here.hset(key, "user", "u" + i);
            here.hpexpire(key, ONE_HOUR_MS + i, "token");
        }

        InProcessRun copy = run("migrateData");
        assertThat(copy.exitCode()).as(copy.output()).isZero();
        assertThat(target.commands().hpexpiretime("session:7", "token"))
                .isEqualTo(here.hpexpiretime("session:7", "token"));
        InProcessRun clean = run("verify", "--check-data");
        assertThat(clean.exitCode()).as(clean.output()).isZero();

        target.commands().hpersist("session:7", "token");
        InProcessRun found = run("verify", "--check-data");

        assertThat(found.exitCode()).as(found.output()).isEqualTo(7);
        assertThat(found.output())
                .contains(HASHES + " source keys compared, " + (HASHES - 1) + " equal, 1 differ")
                .contains("1 with another expiry on the target (by more than 2 s); e.g. [session:7]");
    }

    @Test
    void documentsConvertedOnTheWayKeepTheirFieldsExpiryTimes() {
        RedisCommands<String, String> here = source.commands();
        here.flushall();
        target.commands().flushall();
        for (int i = 0; i < HASHES; i++) {
            String key = "session:" + i;
            here.hset(key, Map.of("token", "t" + i, "created_at", "2024-01-15T10:30:00"));
            here.hpexpire(key, ONE_HOUR_MS + i, "token", "created_at");
        }

        InProcessRun copy = run("migrateData", "--datetime.keys=session:*", "--datetime.fields=created_at");

        assertThat(copy.exitCode()).as(copy.output()).isZero();
        assertThat(copy.output())
                .contains("001_datetime_fields_to_timestamps: applied on the way, as the documents were copied")
                .contains(HASHES + " read, " + HASHES + " changed");
        for (int i = 0; i < HASHES; i += 49) {
            String key = "session:" + i;
            assertThat(target.commands().hget(key, "created_at")).isEqualTo("1705314600.0");
            assertThat(target.commands().hget(key, "token")).isEqualTo("t" + i);
            // The field the migration set keeps its TTL, as a run in place keeps it; the other one its own.
            assertThat(target.commands().hpexpiretime(key, "token", "created_at"))
                    .as(key)
                    .isEqualTo(here.hpexpiretime(key, "token", "created_at"));
        }
        InProcessRun clean = run("verify", "--check-data", "--datetime.keys=session:*", "--datetime.fields=created_at");
        assertThat(clean.exitCode()).as(clean.output()).isZero();
    }
}
