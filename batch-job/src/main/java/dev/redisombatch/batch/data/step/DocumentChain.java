package dev.redisombatch.batch.data.step;

import dev.redisombatch.batch.data.store.StoredDocument;
import dev.redisombatch.batch.data.store.StoredHash;
import dev.redisombatch.batch.data.store.StoredJson;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.Document;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One document, read whole, as a series of migrations leaves it in memory: each is shown it as its own walk's store
 * would read it then (only its {@code fieldsRead}), and its change is applied before the next one looks. A hash is kept
 * as the bytes it holds, so a field that is not UTF-8 keeps a migration from reading only if that migration reads it,
 * as on a walk. What {@code verify --check-data} expects of a copy, and what a copy converting on the way writes.
 */
abstract sealed class DocumentChain {

    /** The chain over a document read whole (every field, or the whole JSON document). */
    static DocumentChain of(StoredDocument whole) {
        return whole instanceof StoredHash hash ? new Hash(hash) : new Json((StoredJson) whole);
    }

    /** The document as a walk's store reads it for a migration reading {@code fieldsRead} (empty for all). */
    abstract StoredDocument asRead(Set<String> fieldsRead);

    /** Applies one migration's change (not a deletion of the key). */
    abstract void apply(Change change);

    /** The whole document as the chain left it so far. */
    abstract StoredDocument whole();

    /**
     * A hash's fields as bytes, each name as ISO-8859-1 text (one character per byte, so any bytes), in the order they
     * were read.
     */
    private static final class Hash extends DocumentChain {

        private final byte[] key;
        private final Map<String, byte[]> fields = new LinkedHashMap<>();

        Hash(StoredHash whole) {
            this.key = whole.key();
            for (int i = 0; i < whole.fieldNames().length; i++) {
                if (whole.values()[i] != null) {
                    fields.put(name(whole.fieldNames()[i]), whole.values()[i]);
                }
            }
        }

        private static String name(byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        private static String name(String field) {
            return name(KeyText.bytes(field));
        }

        @Override
        StoredDocument asRead(Set<String> fieldsRead) {
            if (fieldsRead.isEmpty()) {
                return whole();
            }
            // In the order a hash store asks for them (HMGET of the names sorted).
            List<String> names = fieldsRead.stream().sorted().toList();
            byte[][] nameBytes = new byte[names.size()][];
            byte[][] values = new byte[names.size()][];
            for (int i = 0; i < names.size(); i++) {
                nameBytes[i] = KeyText.bytes(names.get(i));
                values[i] = fields.get(name(names.get(i)));
            }
            return new StoredHash(key, nameBytes, values, false);
        }

        @Override
        void apply(Change change) {
            change.fieldsToSet().forEach((field, value) -> fields.put(name(field), KeyText.bytes(value)));
            change.fieldsToRemove().forEach(field -> fields.remove(name(field)));
        }

        @Override
        StoredDocument whole() {
            byte[][] names = new byte[fields.size()][];
            byte[][] values = new byte[fields.size()][];
            int i = 0;
            for (Map.Entry<String, byte[]> field : fields.entrySet()) {
                names[i] = field.getKey().getBytes(StandardCharsets.ISO_8859_1);
                values[i++] = field.getValue();
            }
            return new StoredHash(key, names, values, true);
        }
    }

    /** A JSON document, as text: RedisJSON keeps nothing else. */
    private static final class Json extends DocumentChain {

        private final byte[] key;
        private Document document;

        Json(StoredJson whole) {
            this.key = whole.key();
            this.document = whole.document();
        }

        @Override
        StoredDocument asRead(Set<String> fieldsRead) {
            return new StoredJson(key, KeyText.bytes(document.toJson()), StoredJson.membersOf(fieldsRead));
        }

        @Override
        void apply(Change change) {
            document = change.applyTo(document);
        }

        @Override
        StoredDocument whole() {
            return asRead(Set.of());
        }
    }
}
