package dev.redisombatch.batch.settings;

import java.util.Arrays;

/**
 * Reads a settings record's {@code DEFAULT_*} text the way the binder reads an option, for the records' factories: a
 * default is written once, as the text {@code @DefaultValue} binds and {@code --help} shows, and the factories take
 * their value from that text instead of writing it again.
 */
public final class OptionDefaults {

    private OptionDefaults() {}

    /** The constant of {@code type} that {@code text} names, in any case ({@code log_and_skip}, {@code local}). */
    public static <E extends Enum<E>> E constant(Class<E> type, String text) {
        return Arrays.stream(type.getEnumConstants())
                .filter(constant -> constant.name().equalsIgnoreCase(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(text + " names no " + type.getName()));
    }
}
