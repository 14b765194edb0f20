package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON document exactly as {@code JSON.GET key NOESCAPE .} returned it: the whole document's bytes, which a
 * conditional write compares with what the server holds then.
 *
 * @param membersRead the top-level members the migration's paths start from; empty for all
 */
public record StoredJson(byte[] key, byte[] json, Set<String> membersRead) implements StoredDocument {

    /** The top-level members {@code paths} start from: what a migration reading them is shown; empty for all. */
    public static Set<String> membersOf(Set<String> paths) {
        Set<String> members = new TreeSet<>();
        paths.forEach(path -> members.add(Json.topMember(path)));
        return Set.copyOf(members);
    }

    @Override
    public boolean reads(String path) {
        return membersRead.isEmpty() || membersRead.contains(Json.topMember(path));
    }

    @Override
    public Document document() {
        String text = KeyText.strict(json)
                .orElseThrow(() -> new DocumentRejectedException(
                        printableKey(),
                        "the JSON document holds bytes that are not valid UTF-8: " + KeyText.printable(json)));
        Document whole;
        try {
            whole = Document.json(KeyText.lenient(key), text);
        } catch (RuntimeException notAnObject) {
            throw new DocumentRejectedException(
                    printableKey(), "not a JSON object: " + KeyText.printable(json), notAnObject);
        }
        if (membersRead.isEmpty()) {
            return whole;
        }
        Map<String, String> read = new LinkedHashMap<>();
        whole.fields().forEach((member, value) -> {
            if (membersRead.contains(member)) {
                read.put(member, value);
            }
        });
        return Document.json(whole.key(), read);
    }
}
