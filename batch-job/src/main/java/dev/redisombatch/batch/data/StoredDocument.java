package dev.redisombatch.batch.data;

import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.migration.Document;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A document exactly as it was read: its key and the bytes of the fields read, absent ones as null. What the
 * migration sees, {@link #document()}, is decoded from these bytes only when asked for, strictly: a value that is not
 * UTF-8 is a data error for the failure mode, never silently replaced. A conditional write compares the server's
 * bytes with these, so nothing is lost or altered by decoding.
 *
 * @param wholeDocument the field names are every field the document had (HGETALL), not a chosen few (HMGET)
 */
public record StoredDocument(byte[] key, byte[][] fieldNames, byte[][] values, boolean wholeDocument) {

    /** The key, printable and bounded, for logs and the skip log. */
    public String printableKey() {
        return KeyText.printable(key);
    }

    /**
     * The document as the migration sees it: the key's name as text (bytes that are not UTF-8 shown as U+FFFD), the
     * fields present, as text.
     *
     * @throws DocumentRejectedException when a field name or value read is not valid UTF-8
     */
    public Document document() {
        Map<String, String> fields = new LinkedHashMap<>(fieldNames.length * 2);
        for (int i = 0; i < fieldNames.length; i++) {
            if (values[i] == null) {
                continue;
            }
            int field = i;
            String name = KeyText.strict(fieldNames[i]).orElseThrow(() -> new DocumentRejectedException(
                    printableKey(), "a field name is not valid UTF-8: " + KeyText.printable(fieldNames[field])));
            String value = KeyText.strict(values[i]).orElseThrow(() -> new DocumentRejectedException(printableKey(),
                    "field " + name + " holds bytes that are not valid UTF-8: "
                            + KeyText.printable(values[field])));
            fields.put(name, value);
        }
        return Document.of(KeyText.lenient(key), fields);
    }
}
