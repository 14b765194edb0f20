package dev.redisombatch.batch.support;

import dev.redisombatch.migration.DataMigration;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A data migration compiled from source in a test, as a migration author's build would, and packed into a jar with its
 * ServiceLoader registration: for tests of what a rebuild does (debug information, comments, an edited body).
 */
public final class MigrationJars {

    private MigrationJars() {
    }

    /**
     * Compiles {@code source}, the whole text of class {@code packageName.simpleName}, into {@code jar}.
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
        arguments.addAll(List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
                file.toString()));
        if (javac.run(null, null, null, arguments.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("javac failed on " + className);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> compiled = Files.walk(classes)) {
            for (Path classFile : compiled.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                Files.copy(classFile, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + DataMigration.class.getName()));
            writeLine(out, className);
            out.closeEntry();
        }
        return jar;
    }

    private static void writeLine(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
