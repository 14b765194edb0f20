package dev.redisombatch.batch.data.partition;

import dev.redisombatch.batch.redis.ScanLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of hash slots {@code first} to {@code last} on a server that keeps one table per slot
 * ({@link ScanLayout#SLOT_TABLES}: Redis 7.4+ and Valkey 8+ cluster nodes). There the SCAN cursor holds the slot being
 * walked in its low 14 bits and that slot table's own cursor above them, and slots are walked in increasing order
 * (empty ones skipped). So a walk starts at the cursor whose high bits are 0 and low bits are {@code first}, and the
 * slice is done when SCAN returns 0 or a cursor whose slot is past {@code last}. A resumed cursor is a position in
 * one slot's table of one server process: like any cursor, it means nothing after the server restarted.
 *
 * <p>The slices of one server cover slots 0-16383 between them, owned or not, so that keys a node holds in a slot it
 * does not own (a slot half moved in) are walked too. What a slice is sized by, and measured against for progress, is
 * its share of the server's own slots, {@code ownedFirst} to {@code ownedLast}.
 */
public record SlotRangeSlice(int first, int last, int ownedFirst, int ownedLast) implements KeyspaceSlice {

    public static final int SLOTS = 1 << ScanLayout.SLOT_BITS;
    private static final long SLOT_MASK = SLOTS - 1;

    public SlotRangeSlice {
        if (first < 0 || first > ownedFirst || ownedFirst > ownedLast || ownedLast > last || last >= SLOTS) {
            throw new IllegalArgumentException(
                    "no slot range " + first + "-" + last + " owning " + ownedFirst + "-" + ownedLast);
        }
    }

    /**
     * Cuts slots 0-16383 into {@code count} slices with equal shares of the slots a server owns (fewer when it owns
     * fewer slots than that).
     *
     * @param ownedRanges the slots it owns, as start-end pairs; empty for a server that does not say (all slots)
     */
    public static List<SlotRangeSlice> cut(List<int[]> ownedRanges, int count) {
        return cut(ownedRanges, count, true);
    }

    /**
     * Cuts {@code wanted} (start-end pairs) into {@code count} slices with equal shares of its slots, each slice
     * from the first slot of its share to its last: for walking again only the slots not yet proven walked.
     */
    public static List<SlotRangeSlice> cutWithin(List<int[]> wanted, int count) {
        return cut(wanted, count, false);
    }

    private static List<SlotRangeSlice> cut(List<int[]> ownedRanges, int count, boolean tileEverySlot) {
        List<Integer> owned = new ArrayList<>();
        for (int[] range : ownedRanges.isEmpty() ? List.of(new int[] {0, SLOTS - 1}) : ownedRanges) {
            for (int slot = range[0]; slot <= range[1]; slot++) {
                owned.add(slot);
            }
        }
        owned.sort(null);
        int slices = Math.max(1, Math.min(count, owned.size()));
        List<SlotRangeSlice> cut = new ArrayList<>(slices);
        for (int i = 0; i < slices; i++) {
            int from = (int) ((long) i * owned.size() / slices);
            int to = (int) ((long) (i + 1) * owned.size() / slices) - 1;
            int first = !tileEverySlot ? owned.get(from) : i == 0 ? 0 : owned.get(from);
            int last = !tileEverySlot ? owned.get(to) : i == slices - 1 ? SLOTS - 1 : owned.get(to + 1) - 1;
            cut.add(new SlotRangeSlice(first, last, owned.get(from), owned.get(to)));
        }
        return cut;
    }

    @Override
    public String startCursor() {
        return Integer.toString(first);
    }

    @Override
    public boolean contains(String cursor) {
        long value = Long.parseUnsignedLong(cursor);
        long slot = value & SLOT_MASK;
        return value != 0 && slot >= first && slot <= last;
    }

    /** The slots of its own walked, the current one counted by its table cursor's position, over the ones it has. */
    @Override
    public double fractionDone(String cursor) {
        long value = Long.parseUnsignedLong(cursor);
        if (value == 0) {
            return 0;
        }
        long slot = value & SLOT_MASK;
        double walked = slot - ownedFirst + KeyspaceSlice.positionInTable(value >>> ScanLayout.SLOT_BITS);
        return Math.max(0, Math.min(1, walked / (ownedLast - ownedFirst + 1)));
    }

    @Override
    public boolean holdsOn(ScanLayout layout) {
        return layout == ScanLayout.SLOT_TABLES;
    }

    @Override
    public String toString() {
        return "slots " + first + "-" + last;
    }
}
