package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.batch.support.InProcessRun;
import dev.redisombatch.batch.support.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the schema migration tests share: a server without indexes or schema state, a migration file written into a
 * folder, and a migrateSchema run on it.
 */
final class SchemaRuns {

    private SchemaRuns() {}

    /** Every index dropped; the keys matching {@code indexKeys} and every schema migration record deleted. */
    static void forgetSchemaState(RedisServer redis, String indexKeys) {
        redis.dropEveryIndex();
        List<String> state = new ArrayList<>(redis.commands().keys(indexKeys));
        state.addAll(redis.commands().keys(MigrationKind.SCHEMA.recordKey("*")));
        state.add(MigrationKind.SCHEMA.appliedSet());
        redis.commands().del(state.toArray(String[]::new));
    }

    /** {@code --job=migrateSchema} in this JVM on the migrations under {@code work}, with an H2 repository there. */
    static InProcessRun migrateSchema(String redisUrl, Path work, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--job=migrateSchema",
                "--redis.url=" + redisUrl,
                "--job-repository.url=jdbc:h2:file:" + work.resolve("repo"),
                "--migrations-dir=" + work,
                "--progress.interval=1"));
        args.addAll(List.of(extra));
        return InProcessRun.of(args.toArray(String[]::new));
    }

    /**
     * Writes {@code <id>.yaml} under {@code work}'s migrations folder.
     *
     * @param mode null for the default
     * @param previous the rendered {@code previous:} definition, or null when the migration creates the index
     * @param next the rendered {@code new:} definition
     */
    static void writeMigration(Path work, String id, String index, String mode, String previous, String next)
            throws IOException {
        String text = "id: " + id + "\nindex: \"" + index + "\"\n" + (mode == null ? "" : "mode: " + mode + "\n")
                + (previous == null ? "" : previous) + next;
        Files.writeString(
                Files.createDirectories(work.resolve(SchemaFiles.MIGRATIONS_FOLDER))
                        .resolve(id + ".yaml"),
                text);
    }
}
