package dev.redisombatch.batch.support;

import java.util.Arrays;

/** Raw bytes for tests of keys and values that are not UTF-8. */
public final class TestBytes {

    private TestBytes() {}

    /** {@code bytes(0xff, 0xfe)}: each value as one byte. */
    public static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    public static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(part -> part.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
