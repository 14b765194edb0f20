package dev.redisombatch.batch.support;

import dev.redisombatch.migration.DataMigration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** A user's migrations jar, as a test needs one: class files and their ServiceLoader registration. */
public final class MigrationJars {

    private MigrationJars() {}

    /** {@code jar} holding {@code migration} (a test class using nothing but the migration API), registered. */
    public static Path of(Path jar, Class<? extends DataMigration> migration) throws IOException {
        String classFile = migration.getName().replace('.', '/') + ".class";
        try (InputStream bytes = migration.getClassLoader().getResourceAsStream(classFile)) {
            return write(jar, Map.of(classFile, bytes.readAllBytes()), migration.getName());
        }
    }

    /**
     * {@code jar} holding class {@code className} compiled from {@code source} as a migration author's build would,
     * for tests of what a rebuild does (debug information, comments, an edited body).
     *
     * @param javacOptions e.g. {@code -g} or {@code -g:none}
     */
    public static Path build(Path work, String className, String source, Path jar, String... javacOptions)
            throws IOException {
        Path sources = Files.createTempDirectory(work, "src");
        Path classes = Files.createTempDirectory(work, "classes");
        Path file = sources.resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new ArrayList<>(List.of(javacOptions));
        arguments.addAll(List.of(
                "-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), file.toString()));
        if (javac.run(null, null, null, arguments.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed on " + className);
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (Stream<Path> compiled = Files.walk(classes)) {
            for (Path classFile : compiled.filter(Files::isRegularFile).toList()) {
                entries.put(classes.relativize(classFile).toString().replace('\\', '/'), Files.readAllBytes(classFile));
            }
        }
        return write(jar, entries, className);
    }

    private static Path write(Path jar, Map<String, byte[]> classFiles, String registered) throws IOException {
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, byte[]> entry : classFiles.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + DataMigration.class.getName()));
            out.write((registered + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }
}
