package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.redis.CommandName;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.migration.Json;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ByteArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A key's value read by its type, into a form that is equal exactly when the values are: whatever encoding each server
 * chose for it (listpack, intset, quicklist, hashtable...), which a {@code DUMP} payload shows and a comparison must
 * not. Strings, lists, sets, sorted sets (members with their scores), hashes (without their fields' TTLs), streams
 * (their entries; not their consumer groups) and RedisJSON documents (as JSON values: RedisJSON versions print numbers
 * differently); other module types are not readable here.
 */
final class KeyValues {

    private static final CommandName JSON_GET = new CommandName("JSON.GET");

    private KeyValues() {}

    /** Whether {@link #read} can read keys of this type ({@code TYPE}'s answer). */
    static boolean readable(String type) {
        return switch (type) {
            case "string", "list", "set", "zset", "hash", "stream", "ReJSON-RL" -> true;
            default -> false;
        };
    }

    /** Queues the read of one key of a {@link #readable} type; {@link #sameValue} compares two replies. */
    static RedisFuture<?> read(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key, String type) {
        return switch (type) {
            case "string" -> commands.get(key);
            case "list" -> commands.lrange(key, 0, -1);
            case "set" -> commands.smembers(key);
            case "zset" -> commands.zrangeWithScores(key, 0, -1);
            case "hash" -> commands.hgetall(key);
            case "stream" -> commands.xrange(key, Range.create("-", "+"));
            case "ReJSON-RL" ->
                commands.dispatch(
                        JSON_GET,
                        new ByteArrayOutput<>(ByteArrayCodec.INSTANCE),
                        new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                .addKey(key)
                                .add("NOESCAPE")
                                .add("."));
            default -> throw new IllegalArgumentException("no comparable read of " + type + " keys");
        };
    }

    /** Whether two replies of {@link #read} for keys of {@code type} hold the same value. */
    static boolean sameValue(String type, Object left, Object right) {
        if (type.equals("ReJSON-RL")) {
            return left instanceof byte[] a
                    && right instanceof byte[] b
                    && Json.equivalent(KeyText.lenient(a), KeyText.lenient(b));
        }
        return Objects.equals(comparable(left), comparable(right));
    }

    /** Byte arrays as values with equality, through lists, sets, maps, scored values and stream entries. */
    private static Object comparable(Object reply) {
        if (reply instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        if (reply instanceof ScoredValue<?> scored) {
            return Map.entry(comparable(scored.getValue()), scored.getScore());
        }
        if (reply instanceof StreamMessage<?, ?> entry) {
            return Map.entry(entry.getId(), comparable(entry.getBody()));
        }
        if (reply instanceof List<?> list) {
            return list.stream().map(KeyValues::comparable).toList();
        }
        if (reply instanceof Set<?> set) {
            HashSet<Object> members = new HashSet<>();
            set.forEach(member -> members.add(comparable(member)));
            return members;
        }
        if (reply instanceof Map<?, ?> map) {
            Map<Object, Object> entries = new HashMap<>();
            map.forEach((field, value) -> entries.put(comparable(field), comparable(value)));
            return entries;
        }
        return reply;
    }
}
