package dev.redisombatch.batch.redis;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A set of cluster hash slots (0-16383), written as ranges ({@code "0-5460,10923"}) where it is kept in a checkpoint.
 * A single server is taken to hold every slot. Immutable.
 */
public final class SlotSet {

    public static final int SLOTS = 16384;
    public static final SlotSet ALL = range(0, SLOTS - 1);
    public static final SlotSet NONE = new SlotSet(new BitSet(SLOTS));

    private final BitSet slots;

    private SlotSet(BitSet slots) {
        this.slots = slots;
    }

    public static SlotSet range(int first, int last) {
        BitSet slots = new BitSet(SLOTS);
        slots.set(first, last + 1);
        return new SlotSet(slots);
    }

    /** @param ranges start-end pairs, as {@link Topology.Master#slots()} gives them */
    public static SlotSet of(List<int[]> ranges) {
        BitSet slots = new BitSet(SLOTS);
        ranges.forEach(range -> slots.set(range[0], range[1] + 1));
        return new SlotSet(slots);
    }

    /** The set {@link #toString()} wrote; empty text is the empty set. */
    public static SlotSet parse(String text) {
        BitSet slots = new BitSet(SLOTS);
        for (String range : text.split(",")) {
            if (range.isBlank()) {
                continue;
            }
            int dash = range.indexOf('-');
            int first = Integer.parseInt(range.substring(0, dash < 0 ? range.length() : dash));
            int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
            if (first < 0 || last < first || last >= SLOTS) {
                throw new IllegalArgumentException("no slot range " + range);
            }
            slots.set(first, last + 1);
        }
        return new SlotSet(slots);
    }

    public boolean contains(int slot) {
        return slots.get(slot);
    }

    public int size() {
        return slots.cardinality();
    }

    public boolean isEmpty() {
        return slots.isEmpty();
    }

    public boolean isAll() {
        return size() == SLOTS;
    }

    public SlotSet and(SlotSet other) {
        BitSet result = (BitSet) slots.clone();
        result.and(other.slots);
        return new SlotSet(result);
    }

    public SlotSet or(SlotSet other) {
        BitSet result = (BitSet) slots.clone();
        result.or(other.slots);
        return new SlotSet(result);
    }

    public SlotSet andNot(SlotSet other) {
        BitSet result = (BitSet) slots.clone();
        result.andNot(other.slots);
        return new SlotSet(result);
    }

    /** Its runs of consecutive slots, as start-end pairs in increasing order. */
    public List<int[]> ranges() {
        List<int[]> ranges = new ArrayList<>();
        for (int first = slots.nextSetBit(0); first >= 0; ) {
            int end = slots.nextClearBit(first);
            ranges.add(new int[] {first, end - 1});
            first = end >= SLOTS ? -1 : slots.nextSetBit(end);
        }
        return ranges;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SlotSet set && set.slots.equals(slots);
    }

    @Override
    public int hashCode() {
        return slots.hashCode();
    }

    /** As ranges: {@code "0-5460,10923"}; empty for no slot. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int[] range : ranges()) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(range[0]);
            if (range[1] != range[0]) {
                text.append('-').append(range[1]);
            }
        }
        return text.toString();
    }
}
