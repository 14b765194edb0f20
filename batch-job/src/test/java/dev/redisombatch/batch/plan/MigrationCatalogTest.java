package dev.redisombatch.batch.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.batch.builtin.DatetimeFieldsToTimestamps;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationCatalogTest {

    @TempDir
    Path dir;

    /** Registered for ServiceLoader only in the jars the tests write. */
    public static class FromJar implements DataMigration {
        @Override
        public String id() {
            return "from_jar";
        }

        @Override
        public KeySelector keys() {
            return KeySelector.hashes("user:*");
        }

        @Override
        public Change up(Document document) {
            return Change.none();
        }
    }

    /** Another class with the same id as {@link FromJar}. */
    public static class FromJarTwin extends FromJar {}

    /** What the test classpath registers by itself. */
    private static final Set<String> CLASSPATH_IDS = discover(List.of()).keySet();

    private static Map<String, DataMigration> discover(List<DataMigration> builtIns, Path... jars) {
        return MigrationCatalog.discover(builtIns, List.of(jars), MigrationCatalogTest.class.getClassLoader());
    }

    /** A jar holding nothing but a ServiceLoader registration of {@code providers}. */
    private Path jar(String name, String... providers) throws IOException {
        Path jar = dir.resolve(name);
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/" + DataMigration.class.getName()));
            for (String provider : providers) {
                out.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.closeEntry();
        }
        return jar;
    }

    @Test
    void findsBuiltInsFirstThenTheClasspath() {
        DataMigration builtIn =
                new DatetimeFieldsToTimestamps(List.of("user:*"), List.of("created_at"), ZoneOffset.UTC);
        Map<String, DataMigration> found = discover(List.of(builtIn));
        assertEquals(DatetimeFieldsToTimestamps.ID, found.keySet().iterator().next());
        assertEquals(builtIn, found.get(DatetimeFieldsToTimestamps.ID));
        assertEquals(1 + CLASSPATH_IDS.size(), found.size());
        assertFalse(found.containsKey("from_jar"));
    }

    @Test
    void findsMigrationsRegisteredInAJarOrInAFolderOfJars() throws IOException {
        assertTrue(discover(List.of(), jar("one.jar", FromJar.class.getName())).containsKey("from_jar"));
        Path folder = jar("folder/migrations.jar", FromJar.class.getName()).getParent();
        Map<String, DataMigration> found = discover(List.of(), folder);
        assertEquals(FromJar.class, found.get("from_jar").getClass());
        assertTrue(found.keySet().containsAll(CLASSPATH_IDS));
        assertEquals(1 + CLASSPATH_IDS.size(), found.size());
    }

    @Test
    void aFolderWithoutJarsIsFine() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("README.txt"), "no jars here");
        assertEquals(CLASSPATH_IDS, discover(List.of(), empty).keySet());
    }

    @Test
    void aBuiltInAndAJarMigrationWithTheSameIdAreNamedBoth() throws IOException {
        Path jar = jar("one.jar", FromJar.class.getName());
        PlanException e = assertThrows(PlanException.class, () -> discover(List.of(new FromJarTwin()), jar));
        assertEquals(
                "duplicate migration id from_jar: " + FromJarTwin.class.getName() + " and " + FromJar.class.getName(),
                e.getMessage());
    }

    @Test
    void aDuplicateIdAcrossJarsNamesBothClasses() throws IOException {
        Path one = jar("one.jar", FromJar.class.getName());
        Path twin = jar("twin.jar", FromJarTwin.class.getName());
        PlanException e = assertThrows(PlanException.class, () -> discover(List.of(), one, twin));
        assertTrue(e.getMessage().contains("from_jar"), e.getMessage());
        assertTrue(e.getMessage().contains(FromJar.class.getName() + " and "), e.getMessage());
        assertTrue(e.getMessage().contains(FromJarTwin.class.getName()), e.getMessage());
    }

    @Test
    void aMissingJarPathIsNamed() {
        Path missing = dir.resolve("nowhere/migrations.jar");
        PlanException e = assertThrows(PlanException.class, () -> discover(List.of(), missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aRegisteredClassThatDoesNotExistIsAPlanError() throws IOException {
        Path jar = jar("broken.jar", "com.example.NoSuchMigration");
        PlanException e = assertThrows(PlanException.class, () -> discover(List.of(), jar));
        assertTrue(e.getMessage().contains("com.example.NoSuchMigration"), e.getMessage());
    }
}
