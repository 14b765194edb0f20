package dev.redisombatch.batch.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.RedisServer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link KeyPattern} matches the keys {@code SCAN MATCH} returns for the same pattern, on a real server. */
class KeyPatternIT {

    private static final List<String> KEYS = List.of(
            ":app.models.User:1",
            ":app.models.User:01HZX",
            ":app.models.User:",
            ":app.models.Customer:7",
            "app.models.User:1",
            "user:{tag}:1",
            "user:[1]",
            "user:*",
            "user:?",
            "user:\\x",
            "a",
            "ab",
            "abc",
            "b-c",
            "é:1",
            "",
            "***",
            "x]y",
            "x^y",
            "Z");

    private static final List<String> PATTERNS = List.of(
            ":app.models.User:*",
            "*",
            "**",
            "*:*:*",
            "?",
            "??",
            "a*",
            "*b*",
            "[ab]*",
            "[^a]*",
            "[a-b]*",
            "[b-a]*",
            "[a-]*",
            "user:[[]*",
            "user:\\**",
            "user:\\?",
            "user:\\\\x",
            "user:{*}:?",
            "x[]]y",
            "x[\\^]y",
            "x[^]y",
            "[",
            "ab[",
            "[Z",
            "é*",
            "\\",
            "a\\");

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @Test
    void matchesWhatScanMatches() {
        redis.commands().flushall();
        KEYS.stream()
                .filter(key -> !key.isEmpty())
                .forEach(key -> redis.commands().set(key, "v"));
        Map<String, Set<String>> scanned = new TreeMap<>();
        Map<String, Set<String>> matched = new TreeMap<>();
        for (String pattern : PATTERNS) {
            scanned.put(pattern, scan(pattern));
            KeyPattern matcher = KeyPattern.of(pattern);
            Set<String> keys = new TreeSet<>();
            KEYS.stream()
                    .filter(key -> !key.isEmpty())
                    .filter(key -> matcher.matches(key.getBytes(StandardCharsets.UTF_8)))
                    .forEach(keys::add);
            matched.put(pattern, keys);
        }

        assertThat(matched).isEqualTo(scanned);
        assertThat(scanned.get(":app.models.User:*")).hasSize(3);
    }

    private static Set<String> scan(String pattern) {
        Set<String> keys = new TreeSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.commands()
                    .scan(cursor, ScanArgs.Builder.matches(pattern).limit(100));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }
}
