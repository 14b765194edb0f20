package dev.redisombatch.batch.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The tool's Lua scripts, read from the class path. A script that declares the line {@value #STEADY_SLOTS} gets
 * {@code steady-slots.lua} there: the functions by which a cluster master tells the slots it owns while none moves,
 * and whether a slot is among them, which the cross-slot write script and {@code per-slot.lua} share.
 */
public final class LuaSources {

    static final String STEADY_SLOTS =
            "-- steadySlots(), ownsSlot(): dev/redisombatch/batch/redis/steady-slots.lua, put here when the script is"
                    + " loaded\n";

    private LuaSources() {}

    /** The file {@code name} beside class {@code near}, with {@code steady-slots.lua} where it asks for it. */
    public static String load(Class<?> near, String name) {
        String source = read(near, name);
        return source.contains(STEADY_SLOTS)
                ? source.replace(STEADY_SLOTS, read(LuaSources.class, "steady-slots.lua"))
                : source;
    }

    private static String read(Class<?> near, String name) {
        try (InputStream in = near.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
