package dev.redisombatch.batch.redis;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Redis keys and values are bytes. This turns them into text two ways: {@link #strict} for what a migration reads
 * (bytes that are not UTF-8 are an error, never silently replaced), and {@link #printable} for logs and the skip log
 * (every byte kept, as {@code \xNN} when it is not printable UTF-8, so a key cannot forge a log line; long values cut).
 */
public final class KeyText {

    /** The longest key or value a log line or skip-log entry shows, in characters. */
    public static final int MAX_PRINTED = 200;

    private KeyText() {
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes as UTF-8 text, or empty when they are not valid UTF-8. */
    public static Optional<String> strict(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return Optional.of(chars.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** UTF-8 when it is, else with the malformed bytes replaced: what a migration sees of a key's name. */
    public static String lenient(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Printable and bounded: {@code \xNN} for control characters and bytes that are not UTF-8, cut at {@link #MAX_PRINTED}. */
    public static String printable(byte[] bytes) {
        return printable(bytes, MAX_PRINTED);
    }

    /** As {@link #printable(byte[])}, cut at {@code max} characters. */
    public static String printable(byte[] bytes, int max) {
        StringBuilder text = new StringBuilder(Math.min(bytes.length, max) + 8);
        int i = 0;
        while (i < bytes.length && text.length() < max) {
            int b = bytes[i] & 0xff;
            int length = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
            String character = length == 0 || i + length > bytes.length ? null
                    : strict(java.util.Arrays.copyOfRange(bytes, i, i + length)).orElse(null);
            if (character == null || (length == 1 && (b < 0x20 || b == 0x7f)) || b == '\\') {
                text.append(b == '\\' ? "\\\\" : String.format("\\x%02x", b));
                i++;
            } else {
                text.append(character);
                i += length;
            }
        }
        if (i < bytes.length) {
            text.append("...(").append(bytes.length).append(" bytes)");
        }
        return text.toString();
    }

    /** Text for a log line: control characters escaped, cut at {@code max} characters. */
    public static String printable(String text, int max) {
        return text == null ? "null" : printable(bytes(text), max);
    }
}
