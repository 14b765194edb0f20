package dev.redisombatch.batch.data.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.data.store.DocumentRejectedException;
import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.data.store.StoredHash;
import dev.redisombatch.batch.data.store.StoredJson;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What applied migrations make of a document in memory, as their runs would: in plan order, each on what it reads. */
class MigrationReplayTest {

    private static DataMigration migration(
            String id, KeySelector keys, Set<String> fieldsRead, Function<Document, Change> up) {
        return new DataMigration() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public KeySelector keys() {
                return keys;
            }

            @Override
            public Set<String> fieldsRead() {
                return fieldsRead;
            }

            @Override
            public Change up(Document document) throws DataMigrationException {
                return up.apply(document);
            }
        };
    }

    private static StoredHash hash(String key, String... fieldsAndValues) {
        byte[][] names = new byte[fieldsAndValues.length / 2][];
        byte[][] values = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            names[i] = KeyText.bytes(fieldsAndValues[2 * i]);
            values[i] = KeyText.bytes(fieldsAndValues[2 * i + 1]);
        }
        return new StoredHash(KeyText.bytes(key), names, values, true);
    }

    @Test
    void migrationsApplyInPlanOrderEachSeeingOnlyTheFieldsItReads() {
        DataMigration upper = migration(
                "001",
                KeySelector.hashes("user:*"),
                Set.of("name"),
                document -> document.fields().size() == 1
                        ? Change.set("name", document.fields().get("name").toUpperCase())
                        : Change.set("name", "saw more than it reads"));
        DataMigration suffix = migration(
                "002",
                KeySelector.hashes("user:*"),
                Set.of(),
                document -> Change.set("name", document.fields().get("name") + "!"));
        MigrationReplay replay = new MigrationReplay(List.of(upper, suffix));

        Optional<StoredDocument> after = replay.replay(hash("user:1", "name", "ada", "age", "36"));

        assertThat(after).isPresent();
        assertThat(after.get().document().fields()).isEqualTo(Map.of("name", "ADA!", "age", "36"));
    }

    @Test
    void onlyMigrationsSelectingTheKeyAndItsTypeApply() {
        DataMigration users =
                migration("001", KeySelector.hashes("user:[0-9]*"), Set.of(), document -> Change.set("seen", "1"));
        MigrationReplay replay = new MigrationReplay(List.of(users));

        assertThat(replay.selectedAs(KeyText.bytes("user:1"), "hash")).contains(RedisType.HASH);
        assertThat(replay.selectedAs(KeyText.bytes("user:x"), "hash")).isEmpty();
        assertThat(replay.selectedAs(KeyText.bytes("user:1"), "string")).isEmpty();
        assertThat(replay.replay(hash("user:x", "a", "b"))
                        .orElseThrow()
                        .document()
                        .fields())
                .isEqualTo(Map.of("a", "b"));
        StoredJson json = new StoredJson(KeyText.bytes("user:2"), KeyText.bytes("{\"a\":1}"), Set.of());
        assertThat(replay.replay(json).orElseThrow().document().fields()).isEqualTo(Map.of("a", "1"));
    }

    @Test
    void aDeletedDocumentIsEmptyAndARejectedOneLeftAsItIs() {
        DataMigration deletes =
                migration("001", KeySelector.hashes("gone:*"), Set.of(), document -> Change.deleteKey());
        DataMigration rejects = migration("002", KeySelector.hashes("*"), Set.of(), document -> {
            throw new IllegalStateException("cannot");
        });
        MigrationReplay replay = new MigrationReplay(List.of(deletes, rejects));

        assertThat(replay.replay(hash("gone:1", "a", "b"))).isEmpty();
        assertThat(replay.replay(hash("kept:1", "a", "b"))
                        .orElseThrow()
                        .document()
                        .fields())
                .isEqualTo(Map.of("a", "b"));
    }

    @Test
    void aFieldThatIsNotUtf8StopsOnlyTheMigrationsThatReadIt() {
        DataMigration readsName = migration(
                "001",
                KeySelector.hashes("user:*"),
                Set.of("name"),
                document -> Change.set("name", document.fields().get("name").toUpperCase(java.util.Locale.ROOT)));
        DataMigration readsAge = migration(
                "002",
                KeySelector.hashes("user:*"),
                Set.of("age"),
                document -> Change.set("age", document.fields().get("age") + "0"));
        StoredHash binaryName = new StoredHash(
                KeyText.bytes("user:1"),
                new byte[][] {KeyText.bytes("name"), KeyText.bytes("age")},
                new byte[][] {{(byte) 0xff}, KeyText.bytes("3")},
                true);

        StoredHash after = (StoredHash) new MigrationReplay(List.of(readsName, readsAge))
                .replay(binaryName)
                .orElseThrow();

        // The first rejects it (as its walk would); the second, reading only age, converts it; the name's byte stays.
        assertThat(after.fieldNames()).isDeepEqualTo(new byte[][] {KeyText.bytes("name"), KeyText.bytes("age")});
        assertThat(after.values()).isDeepEqualTo(new byte[][] {{(byte) 0xff}, KeyText.bytes("30")});
    }

    @Test
    void aJsonDocumentThatIsNotUtf8CannotBeReplayed() {
        StoredJson binary = new StoredJson(KeyText.bytes("user:1"), new byte[] {'"', (byte) 0xff, '"'}, Set.of());

        assertThatThrownBy(() -> new MigrationReplay(List.of()).replay(binary))
                .isInstanceOf(DocumentRejectedException.class);
    }
}
