package dev.redisombatch.migration;

import java.util.List;
import java.util.Objects;

/**
 * Which keys a migration touches: one or more SCAN MATCH patterns and the Redis type the keys must have.
 * Keys of another type under the same pattern are not read (Redis OM keeps {@code <index>:hash} strings beside its
 * hashes, for example).
 */
public record KeySelector(List<String> patterns, RedisType type) {

    public KeySelector {
        Objects.requireNonNull(type, "type");
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

    public static KeySelector hashes(String... patterns) {
        return new KeySelector(List.of(patterns), RedisType.HASH);
    }

    public static KeySelector jsonDocuments(String... patterns) {
        return new KeySelector(List.of(patterns), RedisType.JSON);
    }
}
