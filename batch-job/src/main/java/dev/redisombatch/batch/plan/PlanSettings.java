package dev.redisombatch.batch.plan;

import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/** Which migrations exist and which of the pending ones a run takes on. */
public record PlanSettings(
        @Name("migrations.jars")
        @DefaultValue
        @Help(
                value = "Comma-separated jars, or folders of jars, holding data migrations registered for"
                        + " ServiceLoader.",
                placeholder = "PATH,...")
        List<Path> jars,

        @Name("migrations-dir")
        @Help(
                value = "The folder holding schema-migrations/ and models/ (default: $REDIS_OM_MIGRATIONS_DIR as"
                        + " Redis OM reads it, else ./migrations).",
                placeholder = "DIR")
        Path migrationsDir,

        @Name("limit")
        @Help(value = "Run at most N pending migrations (Redis OM's meaning). Default: all.", placeholder = "N")
        Integer limit,

        @Name("allow-edited")
        @DefaultValue("" + PlanSettings.DEFAULT_ALLOW_EDITED)
        @Help(
                value = "Run although applied migrations (data or schema) were edited since they were applied.",
                placeholder = "BOOL")
        boolean allowEdited,

        @Name("allow-empty")
        @DefaultValue("" + PlanSettings.DEFAULT_ALLOW_EMPTY)
        @Help(
                value = "Mark a data migration applied even when its keys matched nothing (otherwise it stays pending,"
                        + " with a warning, and runs once such keys exist).",
                placeholder = "BOOL")
        boolean allowEmpty,

        @Name("rewalk")
        @DefaultValue
        @Help(
                value = "migrateData: after the pending migrations, walk these applied data migrations again"
                        + " (comma-separated ids), with the same conditional writes, to convert documents written the old"
                        + " way since (an application not yet upgraded); the record keeps when and what it found.",
                placeholder = "ID,...")
        List<String> rewalk) {

    public static final boolean DEFAULT_ALLOW_EDITED = false;
    public static final boolean DEFAULT_ALLOW_EMPTY = false;

    public PlanSettings {
        jars = List.copyOf(jars);
        rewalk = rewalk.stream().filter(id -> !id.isBlank()).toList();
        jars.forEach(PlanSettings::checkJarPath);
        if (limit != null) {
            InvalidSettingException.requireAtLeast("limit", limit, 1);
        }
    }

    public static PlanSettings defaults() {
        return new PlanSettings(List.of(), null, null, DEFAULT_ALLOW_EDITED, DEFAULT_ALLOW_EMPTY, List.of());
    }

    /** The migrations root: the option, else $REDIS_OM_MIGRATIONS_DIR, else ./migrations. */
    public Path migrationsRoot() {
        if (migrationsDir != null) {
            return migrationsDir;
        }
        String fromEnvironment = System.getenv("REDIS_OM_MIGRATIONS_DIR");
        return Path.of(fromEnvironment == null || fromEnvironment.isBlank() ? "migrations" : fromEnvironment);
    }

    /** At most this many pending migrations run. */
    public int maxMigrations() {
        return limit == null ? Integer.MAX_VALUE : limit;
    }

    /** A jar that is not one, or a folder without jars, would otherwise mean "nothing pending" and exit 0. */
    private static void checkJarPath(Path path) {
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                List<Path> jars =
                        files.filter(file -> file.toString().endsWith(".jar")).toList();
                if (jars.isEmpty()) {
                    throw new InvalidSettingException("migrations.jars", path + ": a folder with no .jar in it");
                }
                jars.forEach(PlanSettings::checkJarFile);
            } catch (IOException e) {
                throw new InvalidSettingException("migrations.jars", path + ": cannot list it: " + e.getMessage());
            }
        } else if (Files.isRegularFile(path)) {
            checkJarFile(path);
        } else {
            throw new InvalidSettingException("migrations.jars", path + ": no such jar or folder");
        }
    }

    private static void checkJarFile(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.size() == 0) {
                throw new InvalidSettingException("migrations.jars", jar + ": an empty jar");
            }
        } catch (IOException e) {
            throw new InvalidSettingException("migrations.jars", jar + ": not a readable jar (" + e.getMessage() + ")");
        }
    }
}
