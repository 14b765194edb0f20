package dev.redisombatch.batch.redis;

/**
 * A SCAN MATCH pattern, matched here as Redis matches it ({@code stringmatchlen}: {@code *}, {@code ?}, {@code [...]}
 * with {@code ^} and ranges, {@code \} escapes), over a key's bytes. For telling which keys a migration selects when
 * the keys come from a walk of every key rather than from SCAN MATCH itself.
 */
public final class KeyPattern {

    private final byte[] pattern;

    private KeyPattern(byte[] pattern) {
        this.pattern = pattern;
    }

    public static KeyPattern of(String pattern) {
        return new KeyPattern(KeyText.bytes(pattern));
    }

    public boolean matches(byte[] key) {
        return matches(0, key, 0);
    }

    private boolean matches(int at, byte[] key, int from) {
        int p = at;
        int k = from;
        while (p < pattern.length) {
            byte c = pattern[p];
            if (c == '*') {
                while (p + 1 < pattern.length && pattern[p + 1] == '*') {
                    p++;
                }
                if (p + 1 == pattern.length) {
                    return true;
                }
                for (int start = k; start <= key.length; start++) {
                    if (matches(p + 1, key, start)) {
                        return true;
                    }
                }
                return false;
            }
            if (k == key.length) {
                return false;
            }
            if (c == '?') {
                p++;
            } else if (c == '[') {
                p = matchClass(p + 1, key[k]);
                if (p < 0) {
                    return false;
                }
            } else {
                if (c == '\\' && p + 1 < pattern.length) {
                    p++;
                }
                if (pattern[p] != key[k]) {
                    return false;
                }
                p++;
            }
            k++;
        }
        return k == key.length;
    }

    /**
     * One {@code [...]} class against one byte of the key, {@code at} just past its {@code [}.
     *
     * @return where the pattern goes on after the class, or -1 when the byte is not in it. A class left open runs to
     *     the pattern's end, as in Redis.
     */
    private int matchClass(int at, byte b) {
        int p = at;
        boolean not = p < pattern.length && pattern[p] == '^';
        if (not) {
            p++;
        }
        boolean match = false;
        while (p < pattern.length && pattern[p] != ']') {
            if (pattern[p] == '\\' && p + 1 < pattern.length) {
                p++;
                match |= pattern[p] == b;
            } else if (p + 2 < pattern.length && pattern[p + 1] == '-') {
                int start = pattern[p] & 0xff;
                int end = pattern[p + 2] & 0xff;
                int value = b & 0xff;
                match |= value >= Math.min(start, end) && value <= Math.max(start, end);
                p += 2;
            } else {
                match |= pattern[p] == b;
            }
            p++;
        }
        return match != not ? Math.min(p + 1, pattern.length) : -1;
    }
}
