package dev.redisombatch.batch.redis;

import java.util.List;
import java.util.UUID;

/**
 * A token this tool keeps in the dataset itself, one key per master, so that a checkpoint can be bound to the data it
 * describes. A FLUSHALL, a restore from a backup taken before the token was written, a replaced server or a failover
 * to a node that never received it leaves no token or another one; the run_id alone misses a flushed and reloaded
 * server that kept running (seen: a resumed run marked a migration applied with 189,456 of 300,000 users unconverted).
 *
 * <p>Written with SET NX by every run that may write (never by a dry run), read with the topology. On a cluster there
 * is one in every slot (16,384 small strings), so that a flush of one master is seen, while a reshard moves the marks
 * with their slots and changes no master's token; a master is read by the mark of the first slot it owns.
 */
public final class DatasetMark {

    /** The key on a single server; a cluster master's adds {@code :{tag}}. */
    public static final String KEY = "redis-om-batch:dataset";
    /** What a master without a token reports: its data was never walked by a run that could write, or was flushed. */
    public static final String NONE = "";

    private DatasetMark() {}

    /**
     * The key whose token a master owning {@code slots} (start-end pairs) is read by: the mark of its first slot;
     * {@link #KEY} for a single server.
     */
    static String keyOf(List<int[]> slots) {
        return slots.isEmpty() ? KEY : keyOfSlot(slots.get(0)[0]);
    }

    /** A cluster's mark in one slot. */
    static String keyOfSlot(int slot) {
        return KEY + ":{" + SlotTags.tagFor(slot) + "}";
    }

    /** A token no other dataset has. */
    static String newToken() {
        return UUID.randomUUID().toString();
    }

    /** A token as messages show it: its first 8 characters, or "none". */
    public static String abbreviated(String token) {
        return token.isEmpty() ? "none" : token.substring(0, Math.min(8, token.length()));
    }
}
