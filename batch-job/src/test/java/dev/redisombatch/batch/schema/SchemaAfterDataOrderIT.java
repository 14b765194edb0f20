package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schema migration ordered after a data migration ({@code after:}) that does not get applied: it waits, stays
 * pending and says why, without sending a single FT.* command. The server has no search module, so any FT.* command
 * would end the run with exit 2: these need nothing but {@code redis-server}.
 */
class SchemaAfterDataOrderIT {

    private static final String NUMERIC = "20261201_000000_created_at_numeric";
    private static final String BUILT_IN = DatetimeFieldsToTimestamps.ID;

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    @BeforeEach
    void emptyRedis() {
        redis.commands().flushall();
    }

    @Test
    void aSchemaMigrationAfterADataMigrationLeftPendingStaysPendingAndSaysWhy() throws IOException {
        writeMigrationAfter(BUILT_IN);

        InProcessRun run = migrateData(); // an empty Redis: the built-in matches nothing, so it stays pending

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.stdout())
                .contains("schema migration stays pending: " + NUMERIC + ": waits for data migration " + BUILT_IN
                        + " (after: in " + NUMERIC + ".yaml), not applied")
                .doesNotContain("nothing pending");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();
        assertThat(redis.commands().smembers(MigrationKind.SCHEMA.appliedSet())).isEmpty();
    }

    @Test
    void migrateSchemaAloneRunsNoDataMigrationSoOneOrderedAfterAPendingOneWaits() throws IOException {
        writeMigrationAfter(BUILT_IN);

        InProcessRun run = SchemaRuns.migrateSchema(redis.url(), work, "--command=run");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.stdout())
                .contains("schema migration stays pending: " + NUMERIC + ": waits for data migration " + BUILT_IN)
                .contains("1 schema migration(s) still pending");
        assertThat(redis.commands().smembers(MigrationKind.SCHEMA.appliedSet())).isEmpty();
    }

    @Test
    void anAfterNamingNoKnownDataMigrationIsExit3AtItsLine() throws IOException {
        Path file = writeMigrationAfter("001_datetime_fields_to_timestamp");

        InProcessRun run = migrateData();

        assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
        assertThat(run.output())
                .contains(file + ":4: after: 001_datetime_fields_to_timestamp is no data migration" + " known here")
                .doesNotContain("\tat ");
        assertThat(redis.commands().smembers(MigrationKind.DATA.appliedSet())).isEmpty();
    }

    private Path writeMigrationAfter(String dataMigration) throws IOException {
        Path folder = Files.createDirectories(work.resolve(SchemaFiles.MIGRATIONS_FOLDER));
        return Files.writeString(
                folder.resolve(NUMERIC + ".yaml"),
                "id: " + NUMERIC + "\n"
                        + "index: \":app.models.User:index\"\n"
                        + "mode: zero-downtime\n"
                        + "after: " + dataMigration + "\n"
                        + "new:\n  on: HASH\n  prefixes: [\":app.models.User:\"]\n  fields:\n"
                        + "    - {name: created_at, type: NUMERIC, sortable: true}\n");
    }

    private InProcessRun migrateData() {
        return InProcessRun.of(
                "--job=migrateData",
                "--redis.url=" + redis.url(),
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--migrations-dir=" + work,
                "--datetime.keys=:app.models.User:*",
                "--datetime.fields=created_at");
    }
}
