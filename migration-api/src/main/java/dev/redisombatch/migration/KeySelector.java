package dev.redisombatch.migration;

import java.util.List;
import java.util.Objects;

/**
 * Which keys a migration touches: one or more SCAN MATCH patterns and the Redis types the keys must have.
 * Keys of another type under the same pattern are not read (Redis OM keeps {@code <index>:hash} strings beside its
 * hashes, for example). Usually one type; {@link #documents} selects hashes and JSON documents alike, each read and
 * written the way its type needs.
 */
public record KeySelector(List<String> patterns, List<RedisType> types) {

    public KeySelector {
        types = List.copyOf(Objects.requireNonNull(types, "types"));
        if (types.isEmpty() || types.stream().distinct().count() != types.size()) {
            throw new IllegalArgumentException("a key selector needs one or more distinct types, not " + types);
        }
        patterns = List.copyOf(Objects.requireNonNull(patterns, "patterns"));
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("a key selector needs at least one MATCH pattern");
        }
        for (String pattern : patterns) {
            if (pattern == null || pattern.isBlank()) {
                throw new IllegalArgumentException("a MATCH pattern must not be blank");
            }
        }
    }

    public KeySelector(List<String> patterns, RedisType type) {
        this(patterns, List.of(Objects.requireNonNull(type, "type")));
    }

    public static KeySelector hashes(String... patterns) {
        return new KeySelector(List.of(patterns), RedisType.HASH);
    }

    public static KeySelector jsonDocuments(String... patterns) {
        return new KeySelector(List.of(patterns), RedisType.JSON);
    }

    /** Hashes and JSON documents under the same patterns, as Redis OM keeps {@code HashModel}s and {@code JsonModel}s. */
    public static KeySelector documents(String... patterns) {
        return new KeySelector(List.of(patterns), List.of(RedisType.HASH, RedisType.JSON));
    }

    /**
     * The type, for a selector of one.
     *
     * @throws IllegalStateException when the selector has several; use {@link #types()}
     */
    public RedisType type() {
        if (types.size() != 1) {
            throw new IllegalStateException("this key selector has several types: " + types);
        }
        return types.get(0);
    }
}
