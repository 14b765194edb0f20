package dev.redisombatch.batch.plan;

import dev.redisombatch.migration.RedisType;
import dev.redisombatch.migration.DataMigration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * A fingerprint of a migration as it is on the classpath: its class file and what it declares (id, keys, fields read,
 * dependencies, description, which carries a built-in's configuration). Recorded when the migration is applied, so
 * {@code verify} can tell when applied code changed afterwards.
 */
public final class MigrationChecksum {

    private MigrationChecksum() {
    }

    public static String of(DataMigration migration) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Class<?> type = migration.getClass();
            String classFile = type.getName().replace('.', '/') + ".class";
            ClassLoader loader = type.getClassLoader() == null ? ClassLoader.getSystemClassLoader()
                    : type.getClassLoader();
            try (InputStream bytes = loader.getResourceAsStream(classFile)) {
                if (bytes != null) {
                    sha.update(bytes.readAllBytes());
                }
            }
            String declared = String.join("\n", migration.id(), migration.keys().types().stream().map(RedisType::redisName)
                            .collect(java.util.stream.Collectors.joining(",")),
                    String.join(",", migration.keys().patterns()), String.join(",", new TreeSet<>(migration.fieldsRead())),
                    String.join(",", migration.dependencies()), migration.description());
            sha.update(declared.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot fingerprint " + migration.id(), e);
        }
    }
}
