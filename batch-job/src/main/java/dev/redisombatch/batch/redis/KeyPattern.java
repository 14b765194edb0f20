package dev.redisombatch.batch.redis;

import java.nio.charset.StandardCharsets;

/**
 * A {@code SCAN ... MATCH} pattern matched here, on a key name this process already has (one a keyspace notification
 * named), with the server's own rules: {@code *} any bytes, {@code ?} one byte, {@code [abc]}, {@code [^abc]} and
 * {@code [a-z]} a byte of (or not of) a set, {@code \} the next byte literally; an unclosed {@code [} ends at the
 * pattern's end. Bytes compare as Redis compares them (signed {@code char}s on the x86 and ARM servers built with
 * gcc's defaults for x86), so ranges over bytes above 0x7f match what {@code SCAN MATCH} there matches.
 */
public final class KeyPattern {

    private final byte[] pattern;

    public KeyPattern(String pattern) {
        this.pattern = pattern.getBytes(StandardCharsets.UTF_8);
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
