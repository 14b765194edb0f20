package dev.redisombatch.batch.data.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.data.store.DocumentRejectedException;
import dev.redisombatch.batch.data.store.PendingWrite;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.data.store.StoredHash;
import dev.redisombatch.batch.data.store.StoredJson;
import dev.redisombatch.batch.ops.PartitionProgress;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Transform;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the processor makes of a migration's field expiry asks, without Redis: only hashes, only fields read. */
class FieldExpiryProcessingTest {

    private static final Instant AT = Instant.parse("2100-01-01T00:00:00Z");

    private static PendingWrite changeOf(StoredDocument stored, Transform transform) {
        return new PageProcessor(transform, RejectionPolicy.countOnly("m1"), new PartitionProgress()).changeOf(stored);
    }

    private static StoredHash hash(String... fieldsAndValues) {
        byte[][] names = new byte[fieldsAndValues.length / 2][];
        byte[][] values = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            names[i] = KeyText.bytes(fieldsAndValues[2 * i]);
            values[i] = KeyText.bytes(fieldsAndValues[2 * i + 1]);
        }
        return new StoredHash(KeyText.bytes("user:1"), names, values, false);
    }

    @Test
    void aJsonDocumentAskedAFieldExpiryIsRejectedAsADataErrorNamingTheKey() {
        StoredJson json = new StoredJson(KeyText.bytes("doc:1"), KeyText.bytes("{\"session\":\"s1\"}"), Set.of());

        assertThatThrownBy(() -> changeOf(json, document -> Change.expireAt("session", AT)))
                .isInstanceOf(DocumentRejectedException.class)
                .hasMessage("doc:1: the transform's change cannot be applied: the change sets or clears the expiry of"
                        + " [session], but a JSON document has no field TTLs; only hash fields have them");
    }

    @Test
    void aHashFieldExpiryIsWrittenWhenTheFieldWasReadAndDroppedWhenItIsAbsent() {
        PendingWrite write = changeOf(
                hash("session", "s1"),
                document -> Change.builder()
                        .expireAt("session", AT)
                        .persist("token")
                        .build());

        assertThat(write.change()).isEqualTo(Change.expireAt("session", AT));
        assertThat(changeOf(hash("name", "Ada"), document -> Change.persist("session")))
                .isNull();
    }

    @Test
    void anExpiryOfAFieldOutsideTheFieldsReadIsLeftAloneAsAnAbsentField() {
        // Read by name, only "name" was: "session" cannot be compared, and the migration sees it absent.
        StoredHash byName = new StoredHash(
                KeyText.bytes("user:1"),
                new byte[][] {KeyText.bytes("name")},
                new byte[][] {KeyText.bytes("Ada")},
                false);

        assertThat(changeOf(byName, document -> Change.persist("session"))).isNull();
        assertThatThrownBy(() -> changeOf(
                        byName,
                        document -> Change.builder()
                                .set("session", "s2")
                                .persist("session")
                                .build()))
                .isInstanceOf(DocumentRejectedException.class)
                .hasMessageContaining("sets field session, which its fieldsRead() does not name");
    }
}
