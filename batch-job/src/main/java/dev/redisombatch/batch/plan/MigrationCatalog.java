package dev.redisombatch.batch.plan;

import dev.redisombatch.migration.DataMigration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds data migrations: built-ins that the command line switched on, then every {@link DataMigration} registered for
 * {@link ServiceLoader} on the classpath and in the user's jars ({@code --migrations.jars}, each a jar or a folder of
 * jars).
 */
public final class MigrationCatalog {

    private MigrationCatalog() {}

    /** @throws PlanException naming a jar path that does not exist, or a provider that cannot be loaded */
    public static Map<String, DataMigration> discover(
            List<DataMigration> builtIns, List<Path> jarPaths, ClassLoader parent) {
        Map<String, DataMigration> byId = new LinkedHashMap<>();
        builtIns.forEach(migration -> add(byId, migration));
        ClassLoader loader = jarPaths.isEmpty() ? parent : new URLClassLoader(toUrls(jarPaths), parent);
        try {
            for (DataMigration migration : ServiceLoader.load(DataMigration.class, loader)) {
                add(byId, migration);
            }
        } catch (ServiceConfigurationError e) {
            throw new PlanException("cannot load a migration: " + e.getMessage(), e);
        }
        return byId;
    }

    private static void add(Map<String, DataMigration> byId, DataMigration migration) {
        String id = migration.id();
        if (id == null || id.isBlank()) {
            throw new PlanException("migration " + migration.getClass().getName() + " has no id");
        }
        DataMigration previous = byId.putIfAbsent(id, migration);
        if (previous != null) {
            throw new PlanException("duplicate migration id " + id + ": "
                    + previous.getClass().getName()
                    + " and " + migration.getClass().getName()
                    + (previous.getClass().getName().equals(migration.getClass().getName())
                            ? " (the same class reached twice: is a jar given twice, or also on the classpath?)"
                            : ""));
        }
    }

    private static URL[] toUrls(List<Path> jarPaths) {
        List<URL> urls = new ArrayList<>();
        for (Path path : jarPaths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.filter(file -> file.toString().endsWith(".jar"))
                            .sorted()
                            .forEach(jar -> urls.add(url(jar)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + path, e);
                }
            } else if (Files.isRegularFile(path)) {
                urls.add(url(path));
            } else {
                throw new PlanException("--migrations.jars: no such jar or folder: " + path);
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new PlanException("--migrations.jars: not a usable path: " + path, e);
        }
    }
}
