package dev.redisombatch.batch.scaffolding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationSkeletonTest {

    /** 2026-01-01 00:01:00 UTC, seen from a zone where it is already 09:01: the id must still be in UTC. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:01:00Z"), ZoneId.of("Asia/Tokyo"));

    private static final Clock LATER = Clock.fixed(Instant.parse("2026-02-03T04:05:06Z"), ZoneId.of("UTC"));

    @TempDir
    Path tmp;

    @Test
    void takesTheIdFromTheClockInUtcAndTheClassFromTheName() throws IOException {
        Path dir = tmp.resolve("migrations");
        MigrationSkeleton.Result result = MigrationSkeleton.write(dir, "normalize_emails", CLOCK);

        assertThat(result.id()).isEqualTo("20260101_000100_normalize_emails");
        assertThat(result.source()).isEqualTo(dir.resolve("src/main/java/migrations/NormalizeEmails.java"));
        assertThat(result.registration())
                .isEqualTo(
                        dir.resolve("src/main/resources/META-INF/services/dev.redisombatch.migration.DataMigration"));
        assertThat(Files.readString(result.source()))
                .contains(
                        "package migrations;",
                        "public class NormalizeEmails implements DataMigration",
                        "\"20260101_000100_normalize_emails\"",
                        "\"Normalize emails\"",
                        "KeySelector.hashes(\":app.models.Model:*\")",
                        "CHANGE THIS",
                        "IDEMPOTENT",
                        "DataMigrationException",
                        "return Change.none();");
        assertThat(MigrationSkeleton.className("v2_fix__names_")).isEqualTo("V2FixNames");
    }

    @Test
    void writesAMavenProjectWithTheClassItsRegistrationAndATest() throws Exception {
        Path dir = tmp.resolve("my migrations");
        MigrationSkeleton.Result result = MigrationSkeleton.write(dir, "normalize_emails", CLOCK);

        assertThat(result.source()).isRegularFile();
        assertThat(result.registration()).isRegularFile();
        Path test = dir.resolve("src/test/java/migrations/NormalizeEmailsTest.java");
        assertThat(Files.readString(test))
                .contains(
                        "class NormalizeEmailsTest", "MigrationTester.of(new NormalizeEmails())", ".assertIdempotent(");
        Path pom = dir.resolve("pom.xml");
        String pomText = Files.readString(pom);
        assertThat(pomText)
                .contains(
                        "<groupId>migrations</groupId>",
                        "<artifactId>my-migrations</artifactId>",
                        "<packaging>jar</packaging>",
                        "<maven.compiler.release>17</maven.compiler.release>",
                        "<artifactId>migration-api</artifactId>",
                        "<version>0.1.0-SNAPSHOT</version>",
                        "<scope>provided</scope>",
                        "<version>5.11.4</version>",
                        "<version>3.5.2</version>");
        // well-formed XML (an XML comment may not contain "--", for one)
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    @Test
    void registersEachClassOnce() throws IOException {
        Path dir = tmp.resolve("migrations");
        MigrationSkeleton.Result first = MigrationSkeleton.write(dir, "normalize_emails", CLOCK);
        MigrationSkeleton.Result second = MigrationSkeleton.write(dir, "drop_legacy_flags", LATER);
        assertThat(second.id()).isEqualTo("20260203_040506_drop_legacy_flags");
        assertThat(second.registration()).isEqualTo(first.registration());

        // the class written again after its files were removed by hand: still one line
        Files.delete(first.source());
        Files.delete(dir.resolve("src/test/java/migrations/NormalizeEmailsTest.java"));
        MigrationSkeleton.write(dir, "normalize_emails", LATER);

        assertThat(Files.readAllLines(first.registration()))
                .containsExactly("migrations.NormalizeEmails", "migrations.DropLegacyFlags");
    }

    @Test
    void appendsToARegistrationFileWithoutAFinalNewline() throws IOException {
        Path dir = tmp.resolve("migrations");
        Path registration =
                dir.resolve("src/main/resources/META-INF/services/dev.redisombatch.migration.DataMigration");
        Files.createDirectories(registration.getParent());
        Files.writeString(registration, "com.example.Earlier");

        MigrationSkeleton.write(dir, "normalize_emails", CLOCK);

        assertThat(Files.readAllLines(registration))
                .containsExactly("com.example.Earlier", "migrations.NormalizeEmails");
    }

    @Test
    void keepsAnExistingPom() throws IOException {
        Path dir = tmp.resolve("migrations");
        Files.createDirectories(dir);
        String mine = "<project><!-- mine --></project>\n";
        Files.writeString(dir.resolve("pom.xml"), mine);

        MigrationSkeleton.write(dir, "normalize_emails", CLOCK);
        MigrationSkeleton.write(dir, "drop_legacy_flags", LATER);

        assertThat(Files.readString(dir.resolve("pom.xml"))).isEqualTo(mine);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "Normalize",
                "normalizeEmails",
                "normalize-emails",
                "1st_fix",
                "_fix",
                "fix emails",
                "émails",
                "fix.emails"
            })
    void rejectsANameThatIsNotLowerSnakeCase(String name) {
        Path dir = tmp.resolve("migrations");
        assertThatThrownBy(() -> MigrationSkeleton.write(dir, name, CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--name=" + name + " ")
                .hasMessageNotContaining("\n");
        assertThat(dir).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"change", "document", "key_selector", "set", "string", "override", "test"})
    void rejectsANameWhoseClassWouldClashWithOneTheSourcesUse(String name) {
        assertThatThrownBy(() -> MigrationSkeleton.write(tmp, name, CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--name=" + name + " ");
    }

    @Test
    void refusesToOverwriteAnExistingMigration() throws IOException {
        Path dir = tmp.resolve("migrations");
        MigrationSkeleton.Result first = MigrationSkeleton.write(dir, "normalize_emails", CLOCK);
        String written = Files.readString(first.source());

        assertThatThrownBy(() -> MigrationSkeleton.write(dir, "normalize_emails", LATER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(first.source().toString());

        assertThat(Files.readString(first.source())).isEqualTo(written);
        assertThat(Files.readAllLines(first.registration())).containsExactly("migrations.NormalizeEmails");
    }

    @Test
    void theGeneratedSourcesCompileAndRun() throws Exception {
        Path dir = tmp.resolve("migrations");
        MigrationSkeleton.Result result = MigrationSkeleton.write(dir, "normalize_emails", CLOCK);
        Path test = dir.resolve("src/test/java/migrations/NormalizeEmailsTest.java");
        Path classes = tmp.resolve("classes");

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("a JDK's compiler").isNotNull();
        String classpath = String.join(File.pathSeparator, jarOf(DataMigration.class), jarOf(Test.class));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled;
        try (StandardJavaFileManager files =
                compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            compiled = compiler.getTask(
                            null,
                            files,
                            diagnostics,
                            List.of(
                                    "--release",
                                    "17",
                                    "-Xlint:all",
                                    "-proc:none",
                                    "-cp",
                                    classpath,
                                    "-d",
                                    classes.toString()),
                            null,
                            files.getJavaFileObjects(result.source(), test))
                    .call();
        }
        // no error, and no warning about the generated code itself (the JUnit jar alone may draw some)
        List<String> problems = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR
                        || d.getSource() != null && d.getSource().getKind() == JavaFileObject.Kind.SOURCE)
                .map(d -> d.toString())
                .toList();
        assertThat(problems).isEmpty();
        assertThat(compiled).isTrue();

        URL[] urls = {
            classes.toUri().toURL(), dir.resolve("src/main/resources").toUri().toURL()
        };
        try (URLClassLoader loader = new URLClassLoader(urls, getClass().getClassLoader())) {
            List<DataMigration> found = ServiceLoader.load(DataMigration.class, loader).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(migration -> migration.getClass().getClassLoader() == loader)
                    .toList();
            assertThat(found).hasSize(1);
            DataMigration migration = found.get(0);
            assertThat(migration.getClass().getName()).isEqualTo("migrations.NormalizeEmails");
            assertThat(migration.id()).isEqualTo(result.id());
            assertThat(migration.description()).isEqualTo("Normalize emails");
            assertThat(migration.keys().patterns()).containsExactly(":app.models.Model:*");
            assertThat(migration.fieldsRead()).isEmpty();
            assertThat(migration.up(Document.of("k", Map.of()))).isEqualTo(Change.none());

            // and the generated test passes
            Class<?> testClass = loader.loadClass("migrations.NormalizeEmailsTest");
            var constructor = testClass.getDeclaredConstructor();
            constructor.setAccessible(true);
            Method isIdempotent = testClass.getDeclaredMethod("isIdempotent");
            isIdempotent.setAccessible(true);
            isIdempotent.invoke(constructor.newInstance());
        }
    }

    private static String jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }
}
