package dev.redisombatch.batch.plan;

import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.RedisType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;

/**
 * A fingerprint of a migration as its author wrote it: its class file without debug attributes (line numbers, local
 * variable names, the source file name), and what it declares (id, keys, fields read, dependencies, description,
 * which carries a built-in's configuration). Recorded when the migration is applied, so that a later run can tell when
 * applied code changed. A comment, a blank line or a build with or without {@code -g} leaves it as it was; a change to
 * what the code does does not.
 *
 * <p>Checksums recorded before debug attributes were left out took the class file whole; {@link #matches} accepts
 * those too, so that upgrading the tool does not make every applied migration "edited".
 */
public final class MigrationChecksum {

    private MigrationChecksum() {}

    public static String of(DataMigration migration) {
        return checksum(migration, MigrationChecksum::withoutDebugAttributes);
    }

    /** Whether {@code recorded} is this migration's checksum, as this version or an earlier one of the tool took it. */
    public static boolean matches(DataMigration migration, String recorded) {
        return recorded.equals(of(migration)) || recorded.equals(checksum(migration, UnaryOperator.identity()));
    }

    private static String checksum(DataMigration migration, UnaryOperator<byte[]> classBytes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Class<?> type = migration.getClass();
            String classFile = type.getName().replace('.', '/') + ".class";
            ClassLoader loader =
                    type.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : type.getClassLoader();
            try (InputStream bytes = loader.getResourceAsStream(classFile)) {
                if (bytes != null) {
                    sha.update(classBytes.apply(bytes.readAllBytes()));
                }
            }
            String declared = String.join(
                    "\n",
                    migration.id(),
                    migration.keys().types().stream().map(RedisType::redisName).collect(Collectors.joining(",")),
                    String.join(",", migration.keys().patterns()),
                    String.join(",", new TreeSet<>(migration.fieldsRead())),
                    String.join(",", migration.dependencies()),
                    migration.description());
            sha.update(declared.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot fingerprint " + migration.id(), e);
        }
    }

    /**
     * The class file written again without its debug attributes. The writer builds its constant pool from what it is
     * given (it is not handed the reader), so no name that only debug attributes used is left in it.
     */
    static byte[] withoutDebugAttributes(byte[] classFile) {
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(classFile).accept(writer, ClassReader.SKIP_DEBUG);
        return writer.toByteArray();
    }
}
