package dev.redisombatch.batch.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LuaSourcesTest {

    @Test
    void aScriptThatAsksForTheSteadySlotFunctionsGetsThemInPlaceOfTheLine() {
        String script = LuaSources.load(EverySlot.class, "per-slot.lua");

        assertThat(script)
                .startsWith("#!lua flags=allow-cross-slot-keys\n")
                .contains("local function steadySlots()", "local function ownsSlot(ranges, slot)")
                .doesNotContain(LuaSources.STEADY_SLOTS);
        assertThat(script.indexOf("local function ownsSlot")).isLessThan(script.indexOf("ownsSlot(ranges, slot) then"));
    }

    @Test
    void aScriptThatDoesNotAskIsLoadedAsItIs() {
        assertThat(LuaSources.load(LuaSources.class, "steady-slots.lua"))
                .startsWith("-- The slot ranges this master owns");
    }
}
