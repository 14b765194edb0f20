package dev.redisombatch.batch.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MigrationChecksumTest {

    /** A migration as a test's class path has it (compiled with debug information). */
    public static final class Sample implements DataMigration {
        @Override
        public String id() {
            return "20261202_000001_sample";
        }

        @Override
        public KeySelector keys() {
            return KeySelector.hashes("sample:*");
        }

        @Override
        public Change up(Document document) {
            return Change.none();
        }
    }

    @Test
    void aChecksumRecordedOverTheWholeClassFileStillMatchesAfterTheUpgrade() throws Exception {
        Sample sample = new Sample();
        // How checksums were taken before debug attributes were left out: the class file whole, then the declarations.
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream classFile = Sample.class.getResourceAsStream("MigrationChecksumTest$Sample.class")) {
            sha.update(classFile.readAllBytes());
        }
        sha.update(
                String.join("\n", sample.id(), "hash", "sample:*", "", "", "").getBytes(StandardCharsets.UTF_8));
        String recordedBefore = HexFormat.of().formatHex(sha.digest());

        assertThat(MigrationChecksum.of(sample)).isNotEqualTo(recordedBefore);
        assertThat(MigrationChecksum.matches(sample, recordedBefore)).isTrue();
        assertThat(MigrationChecksum.matches(sample, MigrationChecksum.of(sample)))
                .isTrue();
        assertThat(MigrationChecksum.matches(sample, recordedBefore.replace('a', 'b')))
                .isFalse();
    }

    @Test
    void debugAttributesAreLeftOutAndNothingElse() throws Exception {
        byte[] classFile;
        try (InputStream in = Sample.class.getResourceAsStream("MigrationChecksumTest$Sample.class")) {
            classFile = in.readAllBytes();
        }
        byte[] stripped = MigrationChecksum.withoutDebugAttributes(classFile);

        assertThat(new String(classFile, StandardCharsets.ISO_8859_1)).contains("LineNumberTable");
        assertThat(new String(stripped, StandardCharsets.ISO_8859_1))
                .doesNotContain("LineNumberTable")
                .doesNotContain("MigrationChecksumTest.java")
                .contains("sample:*")
                .contains("20261202_000001_sample");
        assertThat(MigrationChecksum.withoutDebugAttributes(stripped)).isEqualTo(stripped);
    }
}
