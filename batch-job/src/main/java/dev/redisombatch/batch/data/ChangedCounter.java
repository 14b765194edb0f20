package dev.redisombatch.batch.data;

import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.state.Direction;

/**
 * The exact number of documents a run changed, kept in Redis by the conditional write script itself, in the same
 * atomic step as the writes it counts. A page written just before a crash is read again after the restart and found
 * unchanged, so counts kept beside the checkpoint would miss it; this one does not. One field per migration, direction
 * and generation in {@code redis-om-batch:changed:<id>}.
 */
final class ChangedCounter {

    static final String KEY_PREFIX = "redis-om-batch:changed:";

    private final String key;
    private final String field;

    ChangedCounter(String migrationId, Direction direction, long generation) {
        this.key = KEY_PREFIX + migrationId;
        this.field = direction.label() + ":" + generation;
    }

    byte[] keyBytes() {
        return KeyText.bytes(key);
    }

    byte[] fieldBytes() {
        return KeyText.bytes(field);
    }

    /** The count, or -1 when no conditional write counted anything for this run. */
    long read(RedisEndpoint redis) {
        String value = redis.call("HGET " + key, commands -> commands.hget(key, field));
        return value == null ? -1 : Long.parseLong(value);
    }

    /** Drops the count once the migration's record holds it. */
    void clear(RedisEndpoint redis) {
        redis.call("HDEL " + key, commands -> commands.hdel(key, field));
    }
}
