package dev.redisombatch.batch.scaffolding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a new data migration for {@code --job=create}: the class, its {@code ServiceLoader} registration and a test,
 * in a small Maven project (created on first use) whose jar is given to {@code --migrations.jars}.
 *
 * <p>The id is {@code YYYYMMDD_HHMMSS_<name>} in UTC, as Redis OM's {@code migrate-data create} makes it; the class is
 * the name in UpperCamelCase ({@code normalize_emails} becomes {@code NormalizeEmails}) in package {@code migrations}.
 */
public final class MigrationSkeleton {

    /**
     * The migration's id, its source file, the {@code META-INF/services} file that registers it, the project's pom,
     * and where the migration API it builds against was installed.
     */
    public record Result(String id, Path source, Path registration, Path pom, Path api) {}

    static final String PACKAGE = "migrations";
    static final String SERVICE = "dev.redisombatch.migration.DataMigration";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** Simple names the generated sources use: a migration class of the same name would not compile. */
    private static final Set<String> NAMES_USED = Set.of(
            "Change",
            "DataMigration",
            "DataMigrationException",
            "Document",
            "KeySelector",
            "MigrationTester",
            "Map",
            "Optional",
            "Set",
            "Test",
            "Transform");

    private MigrationSkeleton() {}

    public static Result write(Path dir, String name, Clock clock) throws IOException {
        String className = className(name);
        String id = ID_TIME.format(clock.instant()) + "_" + name;

        Path packageDir = Path.of("src", "main", "java", PACKAGE);
        Path source = dir.resolve(packageDir).resolve(className + ".java");
        Path test = dir.resolve(Path.of("src", "test", "java", PACKAGE)).resolve(className + "Test.java");
        Path registration = dir.resolve(Path.of("src", "main", "resources", "META-INF", "services", SERVICE));
        for (Path existing : List.of(source, test)) {
            if (Files.exists(existing)) {
                throw new IllegalStateException(
                        existing + " already exists; not overwriting it (choose another --name)");
            }
        }

        MigrationApiInstaller.Installed api = MigrationApiInstaller.install();
        Path pom = dir.resolve("pom.xml");
        if (!Files.exists(pom)) {
            Files.createDirectories(dir);
            Files.writeString(
                    pom, pom(artifactId(dir), api.version()), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        }
        Files.createDirectories(source.getParent());
        Files.writeString(
                source,
                mainSource(className, id, description(name)),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW);
        Files.createDirectories(test.getParent());
        Files.writeString(test, testSource(className), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        register(registration, PACKAGE + "." + className);
        return new Result(id, source, registration, pom, api.jar());
    }

    /** {@code normalize_emails} -> {@code NormalizeEmails}; refuses anything but lower snake case. */
    static String className(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name=" + (name == null ? "" : name)
                    + " is not a migration name: use lower snake case, a letter then letters, digits or underscores"
                    + " (e.g. --name=normalize_emails)");
        }
        StringBuilder camel = new StringBuilder(name.length());
        for (String word : name.split("_")) {
            if (!word.isEmpty()) {
                camel.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            }
        }
        String className = camel.toString();
        if (NAMES_USED.contains(className) || isJavaLangClass(className)) {
            throw new IllegalArgumentException("--name=" + name + " would make a class named " + className
                    + ", which clashes with a class the migration uses; choose another name");
        }
        return className;
    }

    private static boolean isJavaLangClass(String simpleName) {
        try {
            Class.forName("java.lang." + simpleName, false, MigrationSkeleton.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError notThere) {
            return false;
        }
    }

    /** {@code normalize_emails} -> {@code Normalize emails}. */
    static String description(String name) {
        String words = String.join(" ", name.split("_+")).strip();
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** The folder's name as a Maven artifactId. */
    static String artifactId(Path dir) {
        Path folder = dir.toAbsolutePath().normalize().getFileName();
        String sanitized = folder == null
                ? ""
                : folder.toString().replaceAll("[^A-Za-z0-9_.-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        return sanitized.isEmpty() ? "migrations" : sanitized;
    }

    private static void register(Path registration, String className) throws IOException {
        Files.createDirectories(registration.getParent());
        String existing = Files.exists(registration) ? Files.readString(registration, StandardCharsets.UTF_8) : "";
        if (existing.lines().map(String::strip).anyMatch(className::equals)) {
            return;
        }
        String separator = existing.isEmpty() || existing.endsWith("\n") ? "" : "\n";
        Files.writeString(registration, existing + separator + className + "\n", StandardCharsets.UTF_8);
    }

    /** The project's pom; its comment spells no option out, as an XML comment may not contain "--". */
    private static String pom(String artifactId, String apiVersion) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!--
                  Data migrations for redis-om-batch, added by its create job. Build with "mvn -B package" and give
                  target/%1$s.jar to the migrateData job's migrations.jars option. migration-api is "provided": the
                  tool supplies it at run time, and its create job installed it into the local Maven repository.
                -->
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>migrations</groupId>
                  <artifactId>%1$s</artifactId>
                  <version>1.0.0-SNAPSHOT</version>
                  <packaging>jar</packaging>

                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>

                  <dependencies>
                    <dependency>
                      <groupId>dev.redisombatch</groupId>
                      <artifactId>migration-api</artifactId>
                      <version>%2$s</version>
                      <scope>provided</scope>
                    </dependency>
                    <dependency>
                      <groupId>org.junit.jupiter</groupId>
                      <artifactId>junit-jupiter</artifactId>
                      <version>5.11.4</version>
                      <scope>test</scope>
                    </dependency>
                  </dependencies>

                  <build>
                    <finalName>${project.artifactId}</finalName>
                    <plugins>
                      <!-- versions pinned: Maven 3.8's defaults are too old for release 17 and JUnit 5 -->
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-resources-plugin</artifactId>
                        <version>3.3.1</version>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.13.0</version>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-surefire-plugin</artifactId>
                        <version>3.5.2</version>
                      </plugin>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-jar-plugin</artifactId>
                        <version>3.4.2</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(artifactId, apiVersion);
    }

    private static String mainSource(String className, String id, String description) {
        return """
                package %1$s;

                import dev.redisombatch.migration.Change;
                import dev.redisombatch.migration.DataMigration;
                import dev.redisombatch.migration.DataMigrationException;
                import dev.redisombatch.migration.Document;
                import dev.redisombatch.migration.KeySelector;
                import dev.redisombatch.migration.Transform;
                import java.util.Optional;
                import java.util.Set;

                /** %4$s. */
                public class %2$s implements DataMigration {

                    public static final String ID = "%3$s";

                    @Override
                    public String id() {
                        return ID;
                    }

                    @Override
                    public String description() {
                        return "%4$s";
                    }

                    @Override
                    public KeySelector keys() {
                        // CHANGE THIS to the keys of your model: Redis OM stores them as <prefix>:<primary key>,
                        // by default ":<module>.<ClassName>:<pk>", e.g. ":app.models.User:*".
                        return KeySelector.hashes(":app.models.Model:*");
                    }

                    @Override
                    public Set<String> fieldsRead() {
                        // The fields up() reads, e.g. Set.of("email"): only those are fetched. Empty means all fields.
                        return Set.of();
                    }

                    @Override
                    public Change up(Document document) throws DataMigrationException {
                        // Return what to change: Change.set(field, value), Change.remove(field),
                        // Change.builder()...build(), Change.deleteKey(), or Change.none().
                        // up() MUST BE IDEMPOTENT: delivery is at least once, so it may see a document it already
                        // migrated, and must then change nothing more. For a document that cannot be migrated, throw
                        // DataMigrationException naming the field and value; --failure-mode decides what happens.
                        return Change.none();
                    }

                    @Override
                    public Optional<Transform> down() {
                        // The reverse of up(), used by --job=rollback; idempotent too. Return Optional.empty() when
                        // the migration cannot be undone (rollback then refuses it).
                        return Optional.of(document -> Change.none());
                    }
                }
                """.formatted(PACKAGE, className, id, description);
    }

    private static String testSource(String className) {
        return """
                package %1$s;

                import dev.redisombatch.migration.Document;
                import dev.redisombatch.migration.MigrationTester;
                import java.util.Map;
                import org.junit.jupiter.api.Test;

                class %2$sTest {

                    private final MigrationTester tester = MigrationTester.of(new %2$s());

                    /** A document shaped like yours: CHANGE THIS. */
                    private final Document stored = Document.of(":app.models.Model:01JCZ5XQ8V3W7Y2K4M6N8P0R1S",
                            Map.of("name", "example"));

                    @Test
                    void migratesADocumentShapedLikeYours() {
                        // CHANGE THIS to the fields up() must give the document. It fails until up() is written, so
                        // that an unedited skeleton never builds, let alone runs.
                        tester.assertMigrates(stored, Map.of("name", "EXAMPLE"));
                    }

                    @Test
                    void isIdempotent() {
                        tester.assertIdempotent(stored);
                    }
                }
                """.formatted(PACKAGE, className);
    }
}
