package dev.redisombatch.batch.data;

import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.RedisType;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import dev.redisombatch.batch.redis.PipelinedConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the documents behind a page of keys in one pipeline: HGETALL, or HMGET when the migration names the fields
 * it reads. Keys that vanished or changed type since SCAN returned them are left out.
 */
final class DocumentSource {

    private final RedisType type;
    private final String[] fieldsRead;

    DocumentSource(RedisType type, Set<String> fieldsRead) {
        if (type != RedisType.HASH) {
            throw new UnsupportedOperationException(
                    "only hashes can be migrated yet; " + type.redisName() + " documents are not supported");
        }
        this.type = type;
        this.fieldsRead = fieldsRead.toArray(String[]::new);
    }

    String redisType() {
        return type.redisName();
    }

    List<Document> load(PipelinedConnection connection, List<String> keys) {
        return fieldsRead.length == 0 ? loadWhole(connection, keys) : loadFields(connection, keys);
    }

    private List<Document> loadWhole(PipelinedConnection connection, List<String> keys) {
        RedisAsyncCommands<String, String> commands = connection.commands();
        List<RedisFuture<Map<String, String>>> replies = new ArrayList<>(keys.size());
        for (String key : keys) {
            replies.add(commands.hgetall(key));
        }
        connection.flushAndSettle(replies);
        List<Document> documents = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Map<String, String> fields = valueOrSkip(connection, replies.get(i));
            if (fields != null && !fields.isEmpty()) {
                documents.add(new Document(keys.get(i), fields));
            }
        }
        return documents;
    }

    private List<Document> loadFields(PipelinedConnection connection, List<String> keys) {
        RedisAsyncCommands<String, String> commands = connection.commands();
        List<RedisFuture<List<KeyValue<String, String>>>> replies = new ArrayList<>(keys.size());
        for (String key : keys) {
            replies.add(commands.hmget(key, fieldsRead));
        }
        connection.flushAndSettle(replies);
        List<Document> documents = new ArrayList<>(keys.size());
        List<Document> withoutReadFields = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            List<KeyValue<String, String>> values = valueOrSkip(connection, replies.get(i));
            if (values == null) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (KeyValue<String, String> value : values) {
                if (value.hasValue()) {
                    fields.put(value.getKey(), value.getValue());
                }
            }
            Document document = new Document(keys.get(i), fields);
            (fields.isEmpty() ? withoutReadFields : documents).add(document);
        }
        documents.addAll(stillExisting(connection, withoutReadFields));
        return documents;
    }

    /**
     * HMGET cannot tell a hash that lacks the fields read from a key deleted since SCAN, and writing to the latter
     * would revive it; the few documents without any field read are checked with EXISTS.
     */
    private static List<Document> stillExisting(PipelinedConnection connection, List<Document> candidates) {
        if (candidates.isEmpty()) {
            return candidates;
        }
        List<RedisFuture<Long>> exists = new ArrayList<>(candidates.size());
        for (Document candidate : candidates) {
            exists.add(connection.commands().exists(candidate.key()));
        }
        connection.flushAndSettle(exists);
        List<Document> existing = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            if (connection.await(exists.get(i)) > 0) {
                existing.add(candidates.get(i));
            }
        }
        return existing;
    }

    /** A reply, or null when the key is no longer a hash (WRONGTYPE); transient faults propagate for a retry. */
    private static <T> T valueOrSkip(PipelinedConnection connection, RedisFuture<T> reply) {
        try {
            return connection.await(reply);
        } catch (io.lettuce.core.RedisCommandExecutionException e) {
            if (String.valueOf(e.getMessage()).startsWith("WRONGTYPE")) {
                return null;
            }
            throw e;
        }
    }
}
