package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.SlotCommand;
import dev.redisombatch.batch.redis.SlotTags;
import dev.redisombatch.batch.state.Direction;
import io.lettuce.core.cluster.SlotHash;

/**
 * The exact number of documents a run changed, kept in Redis by the write script itself, in the same atomic step as
 * the writes it counts. A page written just before a crash is read again after the restart and found unchanged, so
 * counts kept beside the checkpoint would miss it; this one does not. A batch sent again after a timeout or a dropped
 * connection (which may have come after the batch ran) goes conditionally, so it is not counted twice
 * ({@link WriteScript#run}). One field per direction and generation (or per follow) in {@code redis-om-batch:changed:<id>}; where a
 * script may touch keys of one slot only (a cluster, a sharded database behind one endpoint) one such hash per slot,
 * {@code redis-om-batch:changed:<id>:{<slot tag>}}.
 */
public final class ChangedCounter {

    public static final String KEY_PREFIX = "redis-om-batch:changed:";

    private final String key;
    private final String field;
    private final boolean perSlot;

    public ChangedCounter(String migrationId, Direction direction, long generation, boolean perSlot) {
        this(migrationId, direction.label() + ":" + generation, perSlot);
    }

    private ChangedCounter(String migrationId, String field, boolean perSlot) {
        this.key = KEY_PREFIX + migrationId;
        this.field = field;
        this.perSlot = perSlot;
    }

    /**
     * The count of a follow of a copy's source ({@code follow:<start, Unix ms>}): its own field, so that no run's
     * count includes it.
     */
    public static ChangedCounter ofFollow(String migrationId, long startedAtMillis, boolean perSlot) {
        return new ChangedCounter(migrationId, "follow:" + startedAtMillis, perSlot);
    }

    /**
     * The counter a copy's write script counts a migration made on the way in ({@code copy}): its own field, which no
     * record reads (a resumed copy writes again what it copies again, so the copy's counts come from its checkpoints)
     * and which is dropped when the copy records the migration. Its key still routes the script's call to the master.
     */
    public static ChangedCounter ofCopy(String migrationId, boolean perSlot) {
        return new ChangedCounter(migrationId, "copy", perSlot);
    }

    /** Whether there is one counter per hash slot rather than one in all. */
    boolean perSlot() {
        return perSlot;
    }

    /** The counter a write of {@code documentKey} counts in: the one key, or the one of the document's slot. */
    byte[] keyFor(byte[] documentKey) {
        return KeyText.bytes(perSlot ? slotKey(SlotHash.getSlot(documentKey)) : key);
    }

    private String slotKey(int slot) {
        return key + ":{" + SlotTags.tagFor(slot) + "}";
    }

    byte[] fieldBytes() {
        return KeyText.bytes(field);
    }

    /** The count, or -1 when no write of this run counted anything. */
    public long read(RedisEndpoint redis) {
        if (!perSlot) {
            String value = redis.call("HGET " + key, commands -> commands.hget(key, field));
            return value == null ? -1 : Long.parseLong(value);
        }
        long total = -1;
        for (String value : redis.call(
                "HGET " + key + ":{...}",
                commands -> redis.inEverySlot("HGET", this::slotKey, SlotCommand.hget(field)))) {
            if (value != null) {
                total = Math.max(total, 0) + Long.parseLong(value);
            }
        }
        return total;
    }

    /** Drops the count once the migration's record holds it. */
    public void clear(RedisEndpoint redis) {
        if (!perSlot) {
            redis.call("HDEL " + key, commands -> commands.hdel(key, field));
            return;
        }
        redis.call(
                "HDEL " + key + ":{...}",
                commands -> redis.inEverySlot("HDEL", this::slotKey, SlotCommand.hdel(field)));
    }
}
