package dev.redisombatch.batch.redis;

import io.lettuce.core.cluster.SlotHash;
import java.util.List;

/**
 * A hash tag for every cluster slot: {@code {tag}} in a key puts the key in that slot. The conditional write script
 * of a batch may touch keys of one slot only, so the counter it updates lives in the batch's slot too. Found once by
 * trying short strings until every slot has one (about 170,000 CRC16s, a few milliseconds).
 */
public final class SlotTags {

    private static final String[] TAGS = find();

    /** Two keys of different slots ({@code {0}} and {@code {1}} hash apart), for asking whether a server refuses that. */
    static final List<String> CROSS_SLOT_PROBE =
            List.of("redis-om-batch:probe:{" + TAGS[0] + "}", "redis-om-batch:probe:{" + TAGS[1] + "}");

    private SlotTags() {}

    /** A string whose key slot is {@code slot}. */
    public static String tagFor(int slot) {
        return TAGS[slot];
    }

    private static String[] find() {
        String[] tags = new String[SlotHash.SLOT_COUNT];
        int found = 0;
        for (long n = 0; found < tags.length; n++) {
            String candidate = Long.toString(n, 36);
            int slot = SlotHash.getSlot(candidate);
            if (tags[slot] == null) {
                tags[slot] = candidate;
                found++;
            }
        }
        return tags;
    }
}
