package dev.redisombatch.batch.redis;

import static dev.redisombatch.batch.support.TestBytes.bytes;
import static dev.redisombatch.batch.support.TestBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SCAN MATCH patterns matched here as Redis matches them (its {@code stringmatchlen} rules). */
class KeyPatternTest {

    private static boolean matches(String pattern, String key) {
        return KeyPattern.of(pattern).matches(KeyText.bytes(key));
    }

    @Test
    void starMatchesAnyRunOfBytesIncludingNone() {
        assertThat(matches(":app.models.User:*", ":app.models.User:01J")).isTrue();
        assertThat(matches(":app.models.User:*", ":app.models.User:")).isTrue();
        assertThat(matches(":app.models.User:*", ":app.models.Order:1")).isFalse();
        assertThat(matches("*", "")).isTrue();
        assertThat(matches("a**b*c", "axxbyyc")).isTrue();
        assertThat(matches("a*b", "axxbyyc")).isFalse();
        assertThat(matches("*:index:hash", "user:index:hash")).isTrue();
    }

    @Test
    void questionMarkMatchesExactlyOneByte() {
        assertThat(matches("user:?", "user:1")).isTrue();
        assertThat(matches("user:?", "user:")).isFalse();
        assertThat(matches("user:?", "user:12")).isFalse();
    }

    @Test
    void classesTakeRangesNegationAndEscapes() {
        assertThat(matches("user:[abc]", "user:b")).isTrue();
        assertThat(matches("user:[abc]", "user:d")).isFalse();
        assertThat(matches("user:[^abc]", "user:d")).isTrue();
        assertThat(matches("user:[^abc]", "user:a")).isFalse();
        assertThat(matches("user:[0-9]", "user:7")).isTrue();
        assertThat(matches("user:[9-0]", "user:7")).isTrue();
        assertThat(matches("user:[0-9]", "user:x")).isFalse();
        assertThat(matches("user:[\\]]", "user:]")).isTrue();
        // A class left open runs to the pattern's end, as in Redis.
        assertThat(matches("user:[ab", "user:a")).isTrue();
    }

    @Test
    void aBackslashMakesTheNextCharacterLiteral() {
        assertThat(matches("user\\*", "user*")).isTrue();
        assertThat(matches("user\\*", "users")).isFalse();
        assertThat(matches("a\\?", "a?")).isTrue();
    }

    @Test
    void keysAreMatchedAsBytes() {
        assertThat(KeyPattern.of("bin:*").matches(concat(KeyText.bytes("bin:"), bytes(0xff, 0xfe))))
                .isTrue();
        assertThat(KeyPattern.of("bin:?").matches(concat(KeyText.bytes("bin:"), bytes(0xff))))
                .isTrue();
    }
}
