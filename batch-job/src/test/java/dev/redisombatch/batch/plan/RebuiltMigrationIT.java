package dev.redisombatch.batch.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.MigrationJars;
import dev.redisombatch.batch.support.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An applied migration rebuilt as its author's build would: without debug information, or with a comment added, it is
 * the same migration; with its body changed it is edited, until {@code repair --checksums} says the change is meant.
 */
class RebuiltMigrationIT {

    private static final String CLASS = "rebuilt.Upper";
    private static final String ID = "20261202_000000_upper";
    private static final String SOURCE = """
            package rebuilt;

            import dev.redisombatch.migration.Change;
            import dev.redisombatch.migration.DataMigration;
            import dev.redisombatch.migration.Document;
            import dev.redisombatch.migration.KeySelector;
            import java.util.Set;

            public class Upper implements DataMigration {
            %s
                public String id() {
                    return "%s";
                }

                public KeySelector keys() {
                    return KeySelector.hashes("rebuilt:*");
                }

                public Set<String> fieldsRead() {
                    return Set.of("a", "b");
                }

                public Change up(Document document) {
                    String local = "value";
                    return document.get("a").map(a -> Change.set("b", a.%s())).orElse(Change.none());
                }
            }
            """;

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @TempDir
    Path work;

    private Path jar(String name, String comment, String caseChange, String... javacOptions) throws Exception {
        return MigrationJars.build(
                work,
                CLASS,
                SOURCE.formatted(comment, ID, caseChange),
                Files.createDirectories(work.resolve(name)).resolve("migrations.jar"),
                javacOptions);
    }

    private InProcessRun run(String job, Path jar, String... extra) {
        String[] base = {
            "--job=" + job,
            "--redis.url=" + redis.url(),
            "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
            "--migrations.jars=" + jar
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return InProcessRun.of(args);
    }

    @Test
    void aRebuildIsTheSameMigrationAnEditIsRefusedUntilRepairRecordsIt() throws Exception {
        redis.commands().flushall();
        for (int i = 0; i < 100; i++) {
            redis.commands().hset("rebuilt:" + i, Map.of("a", "v" + i));
        }
        InProcessRun applied = run("migrateData", jar("v1", "", "toUpperCase", "-g"));
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(redis.commands().hget("rebuilt:7", "b")).isEqualTo("V7");
        String recorded = redis.commands().hget(MigrationKind.DATA.recordKey(ID), "checksum");

        // The same code, built without debug information and with comments that move every line.
        Path rebuilt = jar(
                "v1-rebuilt",
                "    // a comment\n    // and another, moving every line below\n",
                "toUpperCase",
                "-g:none");
        InProcessRun again = run("migrateData", rebuilt);
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("nothing pending");
        assertThat(run("verify", rebuilt).output()).contains(ID + ": checksum matches");

        Path edited = jar("v2", "", "toLowerCase", "-g");
        InProcessRun refused = run("migrateData", edited);
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.output())
                .contains(ID)
                .contains("changed since they were applied")
                .contains("--job=repair --checksums");

        InProcessRun repaired = run("repair", edited, "--checksums");
        assertThat(repaired.exitCode()).as(repaired.output()).isZero();
        assertThat(repaired.output()).contains(ID + ": checksum re-baselined to the code at hand");
        Map<String, String> record = redis.commands().hgetall(MigrationKind.DATA.recordKey(ID));
        assertThat(record.get("checksum_before_repair")).isEqualTo(recorded);
        assertThat(record.get("checksum")).isNotEqualTo(recorded);
        assertThat(record).containsKeys("checksum_repaired_at", "checksum_repaired_by");

        InProcessRun afterRepair = run("migrateData", edited);
        assertThat(afterRepair.exitCode()).as(afterRepair.output()).isZero();
        assertThat(afterRepair.output()).contains("nothing pending");
        // Repair records; it runs nothing.
        assertThat(redis.commands().hget("rebuilt:7", "b")).isEqualTo("V7");
    }
}
