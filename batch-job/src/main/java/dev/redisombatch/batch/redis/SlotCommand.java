package dev.redisombatch.batch.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A command that {@link RedisEndpoint#inEverySlot} sends on the one key of each hash slot: as {@code per-slot.lua}
 * runs it on a master's slots in one call ({@code name}, {@code argument}), and as Lettuce sends it routed by slot.
 *
 * @param fromScript the reply as the script returns it (a string, a number, or null), as the routed command's
 */
public record SlotCommand<T>(
        String name,
        String argument,
        BiFunction<RedisClusterAsyncCommands<String, String>, String, RedisFuture<T>> routed,
        Function<Object, T> fromScript) {

    /** {@code SET key value NX}: "OK" where it set the key, null where the key was there. */
    public static SlotCommand<String> setIfAbsent(String value) {
        return new SlotCommand<>(
                "SET", value, (commands, key) -> commands.set(key, value, SetArgs.Builder.nx()), reply ->
                        (String) reply);
    }

    /** {@code HGET key field}: null where there is none. */
    public static SlotCommand<String> hget(String field) {
        return new SlotCommand<>("HGET", field, (commands, key) -> commands.hget(key, field), reply -> (String) reply);
    }

    /** {@code HDEL key field}: the fields removed. */
    public static SlotCommand<Long> hdel(String field) {
        return new SlotCommand<>("HDEL", field, (commands, key) -> commands.hdel(key, field), reply -> (Long) reply);
    }
}
