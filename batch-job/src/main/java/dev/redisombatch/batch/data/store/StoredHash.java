package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.migration.Document;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A hash exactly as it was read: its key and the bytes of the fields read, absent ones as null.
 *
 * @param wholeDocument the field names are every field the document had (HGETALL), not a chosen few (HMGET)
 */
public record StoredHash(byte[] key, byte[][] fieldNames, byte[][] values, boolean wholeDocument)
        implements StoredDocument {

    /** Whether {@code field} is one of the fields read (all of them, for a whole document). */
    @Override
    public boolean reads(String field) {
        byte[] wanted = KeyText.bytes(field);
        for (byte[] name : fieldNames) {
            if (Arrays.equals(name, wanted)) {
                return true;
            }
        }
        return wholeDocument;
    }

    /**
     * The document as the migration sees it: the key's name as text (bytes that are not UTF-8 shown as U+FFFD), the
     * fields present, as text.
     *
     * @throws DocumentRejectedException when a field name or value read is not valid UTF-8
     */
    @Override
    public Document document() {
        Map<String, String> fields = new LinkedHashMap<>(fieldNames.length * 2);
        for (int i = 0; i < fieldNames.length; i++) {
            if (values[i] == null) {
                continue;
            }
            int field = i;
            String name = KeyText.strict(fieldNames[i])
                    .orElseThrow(() -> new DocumentRejectedException(
                            printableKey(),
                            "a field name is not valid UTF-8: " + KeyText.printable(fieldNames[field])));
            String value = KeyText.strict(values[i])
                    .orElseThrow(() -> new DocumentRejectedException(
                            printableKey(),
                            "field " + name + " holds bytes that are not valid UTF-8: "
                                    + KeyText.printable(values[field])));
            fields.put(name, value);
        }
        return Document.of(KeyText.lenient(key), fields);
    }
}
