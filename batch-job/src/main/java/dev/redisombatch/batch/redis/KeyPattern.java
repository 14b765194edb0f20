package dev.redisombatch.batch.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@code SCAN ... MATCH} pattern matched here, on a key name this process already has (one a keyspace notification
 * named, one a walk of every key found), with the server's own rules ({@code stringmatchlen}): {@code *} any bytes,
 * {@code ?} one byte, {@code [abc]}, {@code [^abc]} and {@code [a-z]} a byte of (or not of) a set, {@code \} the next
 * byte literally; an unclosed {@code [} ends at the pattern's end. A range compares bytes as signed, as a Redis built
 * for x86 does (its {@code char}s are signed there): only ranges over bytes above 0x7f could tell the difference.
 * {@code KeyPatternIT} checks it against SCAN MATCH on a real server.
 */
public final class KeyPattern {

    private final byte[] pattern;

    private KeyPattern(String pattern) {
        this.pattern = pattern.getBytes(StandardCharsets.UTF_8);
    }

    public static KeyPattern of(String pattern) {
        return new KeyPattern(pattern);
    }

    /** Whether any of {@code patterns} matches a key: which keys a migration's selector names. */
    public static Predicate<byte[]> anyOf(List<String> patterns) {
        List<KeyPattern> matchers = patterns.stream().map(KeyPattern::of).toList();
        return key -> matchers.stream().anyMatch(pattern -> pattern.matches(key));
    }

    public boolean matches(byte[] key) {
        return matches(0, key, 0);
    }

    private boolean matches(int p, byte[] key, int k) {
        while (p < pattern.length && k < key.length) {
            switch (pattern[p]) {
                case '*' -> {
                    while (p + 1 < pattern.length && pattern[p + 1] == '*') {
                        p++;
                    }
                    if (p + 1 == pattern.length) {
                        return true;
                    }
                    for (int from = k; from < key.length; from++) {
                        if (matches(p + 1, key, from)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?' -> k++;
                case '[' -> {
                    p = endOfSet(p, key[k]);
                    if (p < 0) {
                        return false;
                    }
                    k++;
                }
                default -> {
                    if (pattern[p] == '\\' && p + 1 < pattern.length) {
                        p++;
                    }
                    if (pattern[p] != key[k]) {
                        return false;
                    }
                    k++;
                }
            }
            p++;
        }
        if (k == key.length) {
            while (p < pattern.length && pattern[p] == '*') {
                p++;
            }
        }
        return p == pattern.length && k == key.length;
    }

    /**
     * Matches one byte against the set that opens at {@code open}: the index of the set's last pattern byte when it
     * matches, else -1.
     */
    private int endOfSet(int open, byte c) {
        int p = open + 1;
        boolean negated = p < pattern.length && pattern[p] == '^';
        if (negated) {
            p++;
        }
        boolean matched = false;
        while (true) {
            if (p >= pattern.length) {
                p--;
                break;
            }
            if (pattern[p] == '\\' && p + 1 < pattern.length) {
                p++;
                matched |= pattern[p] == c;
            } else if (pattern[p] == ']') {
                break;
            } else if (p + 2 < pattern.length && pattern[p + 1] == '-') {
                int start = Math.min(pattern[p], pattern[p + 2]);
                int end = Math.max(pattern[p], pattern[p + 2]);
                p += 2;
                matched |= c >= start && c <= end;
            } else {
                matched |= pattern[p] == c;
            }
            p++;
        }
        return matched != negated ? p : -1;
    }
}
