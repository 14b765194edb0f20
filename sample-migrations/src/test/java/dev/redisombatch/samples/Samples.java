package dev.redisombatch.samples;

import dev.redisombatch.migration.Document;
import java.util.Map;

/** Sample user hashes shaped like Redis OM's. */
final class Samples {

    /** A ULID pk whose time part, 01HF7YAT00, is 1700000000000 ms. */
    static final String PK = "01HF7YAT00ABCDEFGHJKMNPQRS";

    static final String KEY = ":app.models.User:" + PK;

    private Samples() {}

    static Document user(Map<String, String> fields) {
        return Document.of(KEY, fields);
    }
}
