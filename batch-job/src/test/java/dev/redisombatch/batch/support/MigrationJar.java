package dev.redisombatch.batch.support;

import dev.redisombatch.migration.DataMigration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** A user's migrations jar made of test classes: their class files and their ServiceLoader registration. */
public final class MigrationJar {

    private MigrationJar() {
    }

    /** {@code jar} holding {@code migration} (a class using nothing but the migration API), registered. */
    public static Path of(Path jar, Class<? extends DataMigration> migration) throws IOException {
        Files.createDirectories(jar.getParent());
        String classFile = migration.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                InputStream bytes = migration.getClassLoader().getResourceAsStream(classFile)) {
            out.putNextEntry(new JarEntry(classFile));
            bytes.transferTo(out);
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/services/" + DataMigration.class.getName()));
            out.write((migration.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
