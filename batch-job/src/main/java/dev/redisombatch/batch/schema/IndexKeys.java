package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.redis.RedisEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The keys Redis OM Python keeps per index: {@code <index>:schema} (the schema text) and {@code <index>:hash} (its
 * sha1, which Redis OM compares with its model's at start-up), written as it writes them so that its apps and CLI
 * stay consistent with ours.
 */
public final class IndexKeys {

    private final RedisEndpoint redis;

    public IndexKeys(RedisEndpoint redis) {
        this.redis = redis;
    }

    /**
     * The names of these keys for every index {@code redis} has, and for the alias of each zero-downtime replacement
     * ({@code name} of {@code name:vN}); none on a Redis without a search module, or a cluster (no schema there).
     */
    public static Set<String> namesOn(RedisEndpoint redis) {
        if (redis.isCluster()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        try (SearchCommands search = new SearchCommands(redis)) {
            for (String index : search.indexNames()) {
                for (String name :
                        List.of(index, IndexReplacement.aliasOf(index).orElse(index))) {
                    names.add(name + ":hash");
                    names.add(name + ":schema");
                }
            }
        } catch (SearchModuleMissingException noSearch) {
            return Set.of();
        }
        return names;
    }

    /** After an apply: the keys describe the new definition. */
    public void describe(String index, IndexDefinition definition) {
        String schemaText = definition.schemaText();
        redis.call("SET " + index + ":hash", commands -> commands.set(index + ":hash", sha1Hex(schemaText)));
        redis.call("SET " + index + ":schema", commands -> commands.set(index + ":schema", schemaText));
    }

    /** After a rollback that dropped the index it created. */
    public void forget(String index) {
        redis.call("DEL " + index + ":hash", commands -> commands.del(index + ":hash", index + ":schema"));
    }

    /** The definition {@code <index>:schema} describes, if it holds schema text this tool can read. */
    public Optional<IndexDefinition> keptDefinition(String index) {
        String text = redis.call("GET " + index + ":schema", commands -> commands.get(index + ":schema"));
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SchemaTokens.parseSchemaText(text));
        } catch (IllegalArgumentException | IndexOutOfBoundsException unreadable) {
            return Optional.empty();
        }
    }

    /** Redis OM Python's {@code hashlib.sha1(schema.encode("utf-8")).hexdigest()}. */
    public static String sha1Hex(String schemaText) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(schemaText.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
