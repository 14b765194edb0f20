package dev.redisombatch.batch.data.store;

import static dev.redisombatch.batch.data.EngineFixture.bytes;
import static dev.redisombatch.batch.data.EngineFixture.text;
import static dev.redisombatch.batch.support.TestBytes.bytes;
import static dev.redisombatch.batch.support.TestBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.data.EngineFixture;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link HashStore} reads and {@link StoredDocument}: bytes kept exactly, strict decoding, keys gone since SCAN. */
class HashStoreTest {

    /** "bin:" then 0xff 0xfe: not UTF-8. */
    private static final byte[] BINARY_KEY = concat(bytes("bin:"), bytes(0xff, 0xfe));
    /** "lat", Latin-1 e-acute, "in1": not UTF-8. */
    private static final byte[] LATIN1_VALUE = concat(bytes("lat"), bytes(0xe9), bytes("in1"));

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    static final EngineFixture fixture = EngineFixture.emptiedForEachTest(redis);

    private static int indexOf(StoredHash document, String field) {
        for (int i = 0; i < document.fieldNames().length; i++) {
            if (text(document.fieldNames()[i]).equals(field)) {
                return i;
            }
        }
        throw new AssertionError("no field " + field);
    }

    @Test
    void hgetallReadsKeysAndValuesThatAreNotUtf8ByteForByte() {
        fixture.other().hset(BINARY_KEY, Map.of(bytes("name"), LATIN1_VALUE, bytes("ok"), bytes("plain")));

        List<StoredDocument> documents = new HashStore(Set.of()).load(fixture.pipeline(), List.of(BINARY_KEY));

        assertThat(documents).hasSize(1);
        StoredHash document = (StoredHash) documents.get(0);
        assertThat(document.key()).isEqualTo(BINARY_KEY);
        assertThat(document.wholeDocument()).isTrue();
        assertThat(document.fieldNames()).hasNumberOfRows(2);
        assertThat(document.values()[indexOf(document, "name")]).isEqualTo(LATIN1_VALUE);
        assertThat(document.values()[indexOf(document, "ok")]).isEqualTo(bytes("plain"));
        assertThat(document.printableKey()).isEqualTo("bin:\\xff\\xfe");
    }

    @Test
    void hmgetReadsTheFieldsNamedByteForByteInSortedOrderAbsentOnesAsNull() {
        fixture.other()
                .hset(
                        BINARY_KEY,
                        Map.of(bytes("name"), LATIN1_VALUE, bytes("ok"), bytes("plain"), bytes("empty"), new byte[0]));

        List<StoredDocument> documents =
                new HashStore(Set.of("name", "missing", "empty")).load(fixture.pipeline(), List.of(BINARY_KEY));

        assertThat(documents).hasSize(1);
        StoredHash document = (StoredHash) documents.get(0);
        assertThat(document.key()).isEqualTo(BINARY_KEY);
        assertThat(document.wholeDocument()).isFalse();
        assertThat(document.fieldNames()).isDeepEqualTo(new byte[][] {bytes("empty"), bytes("missing"), bytes("name")});
        assertThat(document.values()[0]).isEmpty();
        assertThat(document.values()[1]).isNull();
        assertThat(document.values()[2]).isEqualTo(LATIN1_VALUE);
    }

    @Test
    void documentOfAValueThatIsNotUtf8IsRejectedWithAnEscapedKey() {
        StoredHash document = new StoredHash(
                BINARY_KEY,
                new byte[][] {bytes("ok"), bytes("name")},
                new byte[][] {bytes("plain"), LATIN1_VALUE},
                true);

        assertThatThrownBy(document::document).isInstanceOfSatisfying(DocumentRejectedException.class, rejected -> {
            assertThat(rejected.printableKey()).isEqualTo("bin:\\xff\\xfe");
            assertThat(rejected.reason())
                    .startsWith("field name holds bytes that are not valid UTF-8: ")
                    .doesNotContain("\u00e9")
                    .doesNotContain("\uFFFD");
            assertThat(rejected.getMessage()).startsWith("bin:\\xff\\xfe: field name holds");
        });
    }

    /** The value's bytes are escaped once, so the skip log reads back as the bytes. */
    @Test
    void theRejectionReasonEscapesTheValueOnlyOnce() {
        StoredHash document =
                new StoredHash(BINARY_KEY, new byte[][] {bytes("name")}, new byte[][] {LATIN1_VALUE}, false);

        assertThatThrownBy(document::document)
                .isInstanceOfSatisfying(
                        DocumentRejectedException.class,
                        rejected -> assertThat(rejected.reason())
                                .isEqualTo("field name holds bytes that are not valid UTF-8: lat\\xe9in1"));
    }

    @Test
    void documentOfAFieldNameThatIsNotUtf8IsRejected() {
        StoredHash document = new StoredHash(
                bytes("k"), new byte[][] {concat(bytes("f"), bytes(0xff))}, new byte[][] {bytes("v")}, true);

        assertThatThrownBy(document::document).isInstanceOfSatisfying(DocumentRejectedException.class, rejected -> {
            assertThat(rejected.printableKey()).isEqualTo("k");
            assertThat(rejected.reason()).startsWith("a field name is not valid UTF-8: ");
        });
    }

    @Test
    void documentOfAKeyThatIsNotUtf8ButValuesThatAreShowsTheKeyLeniently() {
        StoredHash document = new StoredHash(
                BINARY_KEY,
                new byte[][] {bytes("a"), bytes("b"), bytes("e")},
                new byte[][] {bytes("é"), null, new byte[0]},
                false);

        Document seen = document.document();

        assertThat(seen.key()).isEqualTo("bin:\uFFFD\uFFFD");
        assertThat(seen.fields()).containsExactly(Map.entry("a", "é"), Map.entry("e", ""));
        assertThat(seen.has("b")).isFalse();
    }

    @Test
    void hmgetLeavesOutKeysDeletedAfterScanAndKeysOfAnotherType() {
        fixture.other().hset(bytes("h:with"), Map.of(bytes("name"), bytes("n1"), bytes("other"), bytes("o")));
        fixture.other().hset(bytes("h:without"), Map.of(bytes("other"), bytes("o")));
        fixture.other().set(bytes("h:string"), bytes("s"));
        fixture.other().rpush(bytes("h:list"), bytes("x"));
        fixture.other().hset(bytes("h:deleted"), Map.of(bytes("name"), bytes("n2")));
        fixture.other().hset(bytes("h:deletedWithout"), Map.of(bytes("other"), bytes("o")));
        List<byte[]> scanned = List.of(
                bytes("h:with"),
                bytes("h:deleted"),
                bytes("h:without"),
                bytes("h:string"),
                bytes("h:deletedWithout"),
                bytes("h:list"),
                bytes("h:never"));
        // Deleted between SCAN and the read.
        fixture.other().del(bytes("h:deleted"), bytes("h:deletedWithout"));

        List<StoredDocument> documents = new HashStore(Set.of("name")).load(fixture.pipeline(), scanned);

        assertThat(documents)
                .extracting(document -> text(document.key()))
                .containsExactlyInAnyOrder("h:with", "h:without");
        StoredHash without = (StoredHash) documents.stream()
                .filter(d -> text(d.key()).equals("h:without"))
                .findFirst()
                .orElseThrow();
        assertThat(without.values()).isDeepEqualTo(new byte[][] {null});
        assertThat(without.document().fields()).isEmpty();
        StoredHash with = (StoredHash) documents.stream()
                .filter(d -> text(d.key()).equals("h:with"))
                .findFirst()
                .orElseThrow();
        assertThat(with.document().fields()).isEqualTo(Map.of("name", "n1"));
    }

    @Test
    void hgetallLeavesOutKeysDeletedAfterScanAndKeysOfAnotherType() {
        fixture.other().hset(bytes("h:a"), Map.of(bytes("name"), bytes("n1")));
        fixture.other().hset(bytes("h:deleted"), Map.of(bytes("name"), bytes("n2")));
        fixture.other().set(bytes("h:string"), bytes("s"));
        fixture.other().sadd(bytes("h:set"), bytes("x"));
        List<byte[]> scanned = List.of(bytes("h:a"), bytes("h:deleted"), bytes("h:string"), bytes("h:set"));
        fixture.other().del(bytes("h:deleted"));

        List<StoredDocument> documents = new HashStore(Set.of()).load(fixture.pipeline(), scanned);

        assertThat(documents).extracting(document -> text(document.key())).containsExactly("h:a");
        assertThat(documents.get(0).document().fields()).isEqualTo(Map.of("name", "n1"));
    }

    @Test
    void withoutRedisJsonAMigrationOfHashesAndJsonWalksTheKeyspaceForHashesOnly() {
        assertThat(DocumentStore.typesOn(fixture.endpoint(), KeySelector.documents("a:*"))
                        .types())
                .containsExactly(RedisType.HASH);
        assertThat(DocumentStore.typesOn(fixture.endpoint(), KeySelector.jsonDocuments("a:*"))
                        .types())
                .as("asked for JSON alone, it is walked (and finds nothing)")
                .containsExactly(RedisType.JSON);
    }
}
