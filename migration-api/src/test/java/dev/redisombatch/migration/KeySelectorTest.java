package dev.redisombatch.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeySelectorTest {

    @Test
    void keepsPatternsAndType() {
        KeySelector keys = KeySelector.hashes(":app.models.User:*", ":app.models.Order:*");
        assertEquals(List.of(":app.models.User:*", ":app.models.Order:*"), keys.patterns());
        assertEquals(RedisType.HASH, keys.type());
        assertEquals(
                List.of(RedisType.HASH, RedisType.JSON),
                KeySelector.documents("a:*").types());
        assertThrows(
                IllegalStateException.class, () -> KeySelector.documents("a:*").type());
    }

    @Test
    void rejectsNoPatternAtAll() {
        assertThrows(IllegalArgumentException.class, KeySelector::hashes);
        assertThrows(IllegalArgumentException.class, () -> new KeySelector(List.of(), RedisType.HASH));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "\n  "})
    void rejectsBlankPatterns(String blank) {
        assertThrows(IllegalArgumentException.class, () -> KeySelector.hashes(blank));
        assertThrows(IllegalArgumentException.class, () -> KeySelector.hashes("user:*", blank));
    }
}
