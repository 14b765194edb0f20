package dev.redisombatch.batch.scaffolding;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Puts the migration API this tool was built with into the local Maven repository, so that a project written by
 * {@code create} builds with {@code mvn package} on a machine that has only this tool: the jar carries the API
 * ({@code META-INF/redis-om-batch/migration-api.jar}, copied in at build time). The repository is
 * {@code ~/.m2/repository}, or the one the {@code maven.repo.local} system property names.
 */
final class MigrationApiInstaller {

    static final String GROUP = "dev.redisombatch";
    static final String ARTIFACT = "migration-api";
    private static final String BUNDLED = "/META-INF/redis-om-batch/migration-api.jar";

    private MigrationApiInstaller() {}

    /** The API's version and where its jar now is in the local repository. */
    record Installed(String version, Path jar) {}

    static Installed install() throws IOException {
        byte[] jar;
        try (InputStream bundled = MigrationApiInstaller.class.getResourceAsStream(BUNDLED)) {
            if (bundled == null) {
                throw new IOException(
                        "this build of redis-om-batch does not carry the migration API (" + BUNDLED + ")");
            }
            jar = bundled.readAllBytes();
        }
        String version = versionOf(jar);
        Path folder = localRepository()
                .resolve(GROUP.replace('.', '/'))
                .resolve(ARTIFACT)
                .resolve(version);
        Path jarFile = folder.resolve(ARTIFACT + "-" + version + ".jar");
        if (!Files.exists(jarFile) || !Arrays.equals(Files.readAllBytes(jarFile), jar)) {
            Files.createDirectories(folder);
            Files.write(jarFile, jar);
            Files.writeString(folder.resolve(ARTIFACT + "-" + version + ".pom"), pom(version));
        }
        return new Installed(version, jarFile);
    }

    static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** The version Maven wrote into the jar's {@code pom.properties}. */
    private static String versionOf(byte[] jar) throws IOException {
        String wanted = "META-INF/maven/" + GROUP + "/" + ARTIFACT + "/pom.properties";
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals(wanted)) {
                    Properties properties = new Properties();
                    properties.load(zip);
                    return properties.getProperty("version");
                }
            }
        }
        throw new IOException("the bundled migration API has no " + wanted);
    }

    /** A pom with no parent: the API depends on nothing, so nothing else need be resolved. */
    private static String pom(String version) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>%s</groupId>
                  <artifactId>%s</artifactId>
                  <version>%s</version>
                  <packaging>jar</packaging>
                  <description>The redis-om-batch migration API, installed by redis-om-batch --job=create</description>
                </project>
                """.formatted(GROUP, ARTIFACT, version);
    }
}
