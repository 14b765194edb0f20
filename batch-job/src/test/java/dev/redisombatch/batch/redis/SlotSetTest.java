package dev.redisombatch.batch.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlotSetTest {

    @Test
    void writesAndReadsRanges() {
        SlotSet slots = SlotSet.parse("0-5,7,16000-16383");
        assertEquals(6 + 1 + 384, slots.size());
        assertEquals("0-5,7,16000-16383", slots.toString());
        assertEquals(slots, SlotSet.parse(slots.toString()));
        assertEquals("0-16383", SlotSet.ALL.toString());
        assertEquals("", SlotSet.NONE.toString());
        assertTrue(SlotSet.parse("").isEmpty());
    }

    @Test
    void combines() {
        SlotSet a = SlotSet.of(List.of(new int[] {0, 99}));
        SlotSet b = SlotSet.range(50, 149);
        assertEquals("50-99", a.and(b).toString());
        assertEquals("0-149", a.or(b).toString());
        assertEquals("0-49", a.andNot(b).toString());
        assertEquals("100-16383", SlotSet.ALL.andNot(a).toString());
    }

    @Test
    void refusesSlotsThatDoNotExist() {
        assertThrows(IllegalArgumentException.class, () -> SlotSet.parse("16384"));
        assertThrows(IllegalArgumentException.class, () -> SlotSet.parse("9-3"));
    }
}
