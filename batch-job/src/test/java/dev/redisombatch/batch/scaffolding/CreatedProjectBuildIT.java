package dev.redisombatch.batch.scaffolding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.JarProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project {@code --job=create} writes builds with {@code mvn package} with nothing but the tool's jar: the
 * migration API comes from the local Maven repository, where create put it, and the built jar registers the new
 * migration for ServiceLoader.
 */
class CreatedProjectBuildIT {

    @TempDir
    Path work;

    @Test
    void theCreatedProjectBuildsWithMavenAndItsJarCarriesTheMigration() throws Exception {
        Path mvn = Path.of(System.getProperty("maven.home", "/usr/share/maven"), "bin", "mvn");
        Assumptions.assumeTrue(Files.isExecutable(mvn) || onPath("mvn"), "no mvn to build the created project with");
        Path project = work.resolve("my-migrations");

        JarProcess.Finished created =
                JarProcess.run(work, "--job=create", "--name=normalize_phone_numbers", "--dir=" + project);
        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(created.stdout()).containsPattern("created \\d{8}_\\d{6}_normalize_phone_numbers");

        // Unedited, the skeleton's own test fails: it cannot be built, let alone applied.
        assertThat(mavenPackage(mvn, project)).isNotZero();
        assertThat(Files.readString(work.resolve("mvn.log"), StandardCharsets.UTF_8))
                .contains("migratesADocumentShapedLikeYours");

        Path source = project.resolve("src/main/java/migrations/NormalizePhoneNumbers.java");
        String skeleton = Files.readString(source);
        String unwritten = "return Change.none();";
        Files.writeString(
                source,
                skeleton.substring(0, skeleton.indexOf(unwritten))
                        + "return Change.set(\"name\", document.get(\"name\").orElse(\"\").toUpperCase());"
                        + skeleton.substring(skeleton.indexOf(unwritten) + unwritten.length()));
        assertThat(mavenPackage(mvn, project))
                .as(Files.readString(work.resolve("mvn.log"), StandardCharsets.UTF_8))
                .isZero();

        Path jar = project.resolve("target/my-migrations.jar");
        try (JarFile built = new JarFile(jar.toFile())) {
            assertThat(built.getEntry("migrations/NormalizePhoneNumbers.class")).isNotNull();
            String registration = new String(
                    built.getInputStream(built.getEntry("META-INF/services/dev.redisombatch.migration.DataMigration"))
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(registration.strip()).isEqualTo("migrations.NormalizePhoneNumbers");
        }
        assertThat(Files.readString(project.resolve("src/main/java/migrations/NormalizePhoneNumbers.java")))
                .contains("public Optional<Transform> down()");
    }

    private int mavenPackage(Path mvn, Path project) throws IOException, InterruptedException {
        Process build = new ProcessBuilder(
                        Files.isExecutable(mvn) ? mvn.toString() : "mvn",
                        "-B",
                        "-q",
                        "package",
                        "-f",
                        project.resolve("pom.xml").toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("mvn.log").toFile())
                .start();
        assertThat(build.waitFor(10, TimeUnit.MINUTES))
                .as("mvn package finished")
                .isTrue();
        return build.exitValue();
    }

    private static boolean onPath(String command) throws IOException, InterruptedException {
        return new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
    }
}
