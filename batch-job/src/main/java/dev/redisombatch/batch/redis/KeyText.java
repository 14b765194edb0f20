package dev.redisombatch.batch.redis;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Redis keys and values are bytes. This turns them into text two ways: {@link #strict} for what a migration reads
 * (bytes that are not UTF-8 are an error, never silently replaced), and {@link #printable} for logs and the skip log
 * (every byte kept, as {@code \xNN} when it is not printable UTF-8, so a key cannot forge a log line; long values cut).
 */
public final class KeyText {

    /** The longest key or value a log line or skip-log entry shows, in characters. */
    public static final int MAX_PRINTED = 200;

    private KeyText() {}

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A number in decimal, as a script's argument or Redis's reply for an integer held in a hash gives it; those below
     * {@value #SHARED_DECIMALS} are shared arrays (a write sends a document's counts this way when they do not fit its
     * header), so callers must not change what they get.
     */
    public static byte[] decimal(long n) {
        return n >= 0 && n < SHARED_DECIMALS ? SMALL_DECIMALS[(int) n] : bytes(Long.toString(n));
    }

    private static final int SHARED_DECIMALS = 256;
    private static final byte[][] SMALL_DECIMALS = new byte[SHARED_DECIMALS][];

    static {
        for (int n = 0; n < SHARED_DECIMALS; n++) {
            SMALL_DECIMALS[n] = bytes(Integer.toString(n));
        }
    }

    /** The bytes as UTF-8 text, or empty when they are not valid UTF-8. */
    public static Optional<String> strict(byte[] bytes) {
        if (isAscii(bytes)) {
            // The common case, decoded without a decoder: ASCII is valid UTF-8, byte for char.
            return Optional.of(new String(bytes, StandardCharsets.ISO_8859_1));
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
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

    /**
     * Printable and bounded: {@code \xNN} for each byte of a control character (C0, DEL, C1), of a line or paragraph
     * separator, of bytes that are not UTF-8, and {@code \\} for a backslash, so that the text reads back as the
     * bytes and cannot break a log line; cut at {@link #MAX_PRINTED} characters, the full length noted.
     */
    public static String printable(byte[] bytes) {
        return printable(bytes, MAX_PRINTED);
    }

    /** As {@link #printable(byte[])}, cut at {@code max} characters. */
    public static String printable(byte[] bytes, int max) {
        StringBuilder text = new StringBuilder(Math.min(bytes.length, max) + 24);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            int length = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
            String character = length == 0 || i + length > bytes.length
                    ? null
                    : strict(Arrays.copyOfRange(bytes, i, i + length)).orElse(null);
            String piece;
            if (character == null || b == '\\' || breaksALine(character.codePointAt(0))) {
                int escaped = character == null ? 1 : length;
                StringBuilder bytesEscaped = new StringBuilder();
                for (int k = i; k < i + escaped; k++) {
                    bytesEscaped.append(bytes[k] == '\\' ? "\\\\" : String.format("\\x%02x", bytes[k] & 0xff));
                }
                piece = bytesEscaped.toString();
                length = escaped;
            } else {
                piece = character;
            }
            if (text.length() + piece.length() > max) {
                break;
            }
            text.append(piece);
            i += length;
        }
        if (i < bytes.length) {
            text.append("...(").append(bytes.length).append(" bytes)");
        }
        return text.toString();
    }

    /** {@link #printable(byte[], int)} of the text's UTF-8 bytes. */
    public static String printable(String text, int max) {
        return text == null ? "null" : printable(bytes(text), max);
    }

    /**
     * Text on one line for a log line or a message: control characters and line separators as {@code \\uNNNN}
     * (backslashes are left as they are: the text is words, not bytes to read back), cut at {@code max} characters.
     */
    public static String oneLine(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder line = new StringBuilder(Math.min(text.length(), max) + 24);
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            String piece = breaksALine(codePoint)
                    ? String.format("\\u%04x", codePoint)
                    : new String(Character.toChars(codePoint));
            if (line.length() + piece.length() > max) {
                break;
            }
            line.append(piece);
            i += Character.charCount(codePoint);
        }
        if (i < text.length()) {
            line.append("...(").append(text.length()).append(" characters)");
        }
        return line.toString();
    }

    private static boolean breaksALine(int codePoint) {
        return Character.getType(codePoint) == Character.CONTROL || codePoint == 0x2028 || codePoint == 0x2029;
    }

    /**
     * Whether {@code text} has a UTF-8 form: it holds no unpaired surrogate, which {@link #bytes} would write as a
     * {@code ?} silently.
     */
    public static boolean encodable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
