package dev.redisombatch.migration;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored record as a migration sees it: its key and its top-level fields as strings.
 *
 * <p>For a hash the fields are the hash's fields. For a JSON document (not read by the engine yet) they will be the
 * top-level members, each as its JSON text, so that the same {@link Change} can say which members to set or remove.
 * When the migration names the fields it reads ({@link DataMigration#fieldsRead()}), only those are present.
 */
public final class Document {

    private final String key;
    private final Map<String, String> fields;

    public Document(String key, Map<String, String> fields) {
        this.key = Objects.requireNonNull(key, "key");
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(fields, "fields")));
    }

    public static Document of(String key, Map<String, String> fields) {
        return new Document(key, fields);
    }

    public String key() {
        return key;
    }

    /** The fields, in the order Redis returned them; unmodifiable. */
    public Map<String, String> fields() {
        return fields;
    }

    public Optional<String> get(String field) {
        return Optional.ofNullable(fields.get(field));
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Document that && key.equals(that.key) && fields.equals(that.fields);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + fields.hashCode();
    }

    @Override
    public String toString() {
        return key + " " + fields;
    }
}
