package dev.redisombatch.batch.demo;

import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.RedisEndpoint;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes users shaped like Redis OM Python 0.x stored them ({@code :app.models.User:<ULID>} hashes with ISO
 * {@code created_at}), the data the built-in datetime migration and the sample migrations are for. Deterministic for a
 * given seed. {@code created_at} mixes the forms found in the wild: UTC with Z, with an offset, naive, a bare date,
 * and about 1 in 100 users without it.
 */
public final class DemoUsers {

    public static final String KEY_PREFIX = ":app.models.User:";
    static final String[] FIRST = {
        "Ada",
        "Alan",
        "Grace",
        "Edsger",
        "Barbara",
        "Donald",
        "Frances",
        "Ken",
        "Margaret",
        "Dennis",
        "Radia",
        "Linus",
        "Katherine",
        "John",
        "Shafi",
        "Tim"
    };
    static final String[] LAST = {
        "Lovelace",
        "Turing",
        "Hopper",
        "Dijkstra",
        "Liskov",
        "Knuth",
        "Allen",
        "Thompson",
        "Hamilton",
        "Ritchie",
        "Perlman",
        "Torvalds",
        "Johnson",
        "Backus",
        "Goldwasser",
        "Berners-Lee"
    };
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final long FROM = Instant.parse("2019-01-01T00:00:00Z").getEpochSecond();
    static final long SPAN = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() - FROM;

    private DemoUsers() {}

    /** Writes {@code count} users in pipelined batches and returns how many were written. */
    public static long write(RedisEndpoint redis, long count, long seed) {
        return PipelinedWrites.write(redis, count, seed, (connection, random) -> {
            Map<String, String> user = user(random);
            Map<byte[], byte[]> fields = new LinkedHashMap<>();
            user.forEach((field, value) -> fields.put(KeyText.bytes(field), KeyText.bytes(value)));
            return connection.writes().hset(KeyText.bytes(KEY_PREFIX + user.get("pk")), fields);
        });
    }

    static Map<String, String> user(SplittableRandom random) {
        long createdAtSecond = FROM + random.nextLong(SPAN);
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        Map<String, String> user = new LinkedHashMap<>();
        user.put("pk", ulid(createdAtSecond * 1000 + random.nextInt(1000), random));
        user.put("name", first + " " + last);
        String email = first + "." + last + random.nextInt(10_000) + "@Example.com";
        user.put("email", random.nextInt(4) == 0 ? " " + email + " " : email.toLowerCase(Locale.ROOT));
        user.put("age", Integer.toString(18 + random.nextInt(70)));
        String createdAt = iso(createdAtSecond, random);
        if (createdAt != null) {
            user.put("created_at", createdAt);
        }
        return user;
    }

    /**
     * An instant in one of the ISO forms Redis OM 0.x data holds: UTC with Z (40 in 100), with an offset (20), naive
     * (25), a bare date (14); null (absent) 1 in 100.
     */
    static String iso(long epochSecond, SplittableRandom random) {
        int form = random.nextInt(100);
        LocalDateTime utc = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        if (form < 40) {
            return utc + "Z";
        } else if (form < 60) {
            return utc.plusHours(2) + "+02:00";
        } else if (form < 85) {
            return utc.toString();
        } else if (form < 99) {
            return utc.toLocalDate().toString();
        }
        return null;
    }

    /** A ULID (what Redis OM uses for pks): 48-bit milliseconds then 80 random bits, in Crockford base32. */
    static String ulid(long millis, SplittableRandom random) {
        char[] text = new char[26];
        for (int i = 9; i >= 0; i--) {
            text[i] = CROCKFORD.charAt((int) (millis & 31));
            millis >>>= 5;
        }
        for (int i = 10; i < 26; i++) {
            text[i] = CROCKFORD.charAt(random.nextInt(32));
        }
        return new String(text);
    }
}
