package dev.redisombatch.batch.redis;

import static dev.redisombatch.batch.support.TestBytes.bytes;
import static dev.redisombatch.batch.support.TestBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The two ways bytes become text: strict (for migrations) and printable (for logs and the skip log). */
class KeyTextTest {

    @Test
    void printableEscapesAsciiControlCharactersAndDelete() {
        assertThat(KeyText.printable(KeyText.bytes("a\nb\rc\td\u0000e\u001bf\u007fg")))
                .isEqualTo("a\\x0ab\\x0dc\\x09d\\x00e\\x1bf\\x7fg");
    }

    @Test
    void printableEscapesTheBackslashSoThatAnEscapeCannotBeForged() {
        assertThat(KeyText.printable(KeyText.bytes("a\\b"))).isEqualTo("a\\\\b");
        // The text "\xff" (4 characters) and the byte 0xff print differently.
        assertThat(KeyText.printable(KeyText.bytes("\\xff"))).isEqualTo("\\\\xff");
        assertThat(KeyText.printable(bytes(0xff))).isEqualTo("\\xff");
    }

    @Test
    void printableEscapesEveryByteThatIsNotUtf8() {
        assertThat(KeyText.printable(concat(KeyText.bytes("bin:"), bytes(0xff, 0xfe))))
                .isEqualTo("bin:\\xff\\xfe");
        // Latin-1 e-acute in the middle of ASCII.
        assertThat(KeyText.printable(concat(KeyText.bytes("lat"), bytes(0xe9), KeyText.bytes("in1"))))
                .isEqualTo("lat\\xe9in1");
        // A lone continuation byte, an overlong encoding of '/', a truncated 2-byte sequence at the end.
        assertThat(KeyText.printable(bytes(0x80))).isEqualTo("\\x80");
        assertThat(KeyText.printable(bytes(0xc0, 0xaf))).isEqualTo("\\xc0\\xaf");
        assertThat(KeyText.printable(bytes(0x61, 0xc3))).isEqualTo("a\\xc3");
        // A UTF-16 surrogate encoded as UTF-8 (CESU) and a code point above U+10FFFF.
        assertThat(KeyText.printable(bytes(0xed, 0xa0, 0x80))).isEqualTo("\\xed\\xa0\\x80");
        assertThat(KeyText.printable(bytes(0xf4, 0x90, 0x80, 0x80))).isEqualTo("\\xf4\\x90\\x80\\x80");
        // A valid lead byte followed by ASCII: the lead byte alone is escaped, the ASCII kept.
        assertThat(KeyText.printable(bytes(0xe2, 0x41, 0x42))).isEqualTo("\\xe2AB");
    }

    @Test
    void printableKeepsValidMultiByteUtf8() {
        String text = "café 日本 😀 Ωμέγα";
        assertThat(KeyText.printable(KeyText.bytes(text))).isEqualTo(text);
        assertThat(KeyText.printable(text, KeyText.MAX_PRINTED)).isEqualTo(text);
    }

    @Test
    void printableCutsLongInputAtMaxPrintedAndNotesTheOriginalLength() {
        byte[] exactly = KeyText.bytes("a".repeat(KeyText.MAX_PRINTED));
        assertThat(KeyText.printable(exactly)).isEqualTo("a".repeat(KeyText.MAX_PRINTED));

        byte[] oneMore = KeyText.bytes("a".repeat(KeyText.MAX_PRINTED + 1));
        assertThat(KeyText.printable(oneMore)).isEqualTo("a".repeat(KeyText.MAX_PRINTED) + "...(201 bytes)");

        byte[] long_ = KeyText.bytes("k".repeat(10_000));
        assertThat(KeyText.printable(long_)).isEqualTo("k".repeat(200) + "...(10000 bytes)");

        // Escapes count towards the limit: 50 escaped bytes fill 200 characters.
        byte[] binary = new byte[300];
        Arrays.fill(binary, (byte) 0xff);
        assertThat(KeyText.printable(binary)).isEqualTo("\\xff".repeat(50) + "...(300 bytes)");

        // The length noted is in bytes, not characters.
        String multiByte = "é".repeat(300);
        assertThat(KeyText.printable(KeyText.bytes(multiByte))).isEqualTo("é".repeat(200) + "...(600 bytes)");

        assertThat(KeyText.printable(KeyText.bytes("0123456789"), 4)).isEqualTo("0123...(10 bytes)");
        assertThat(KeyText.printable("0123456789", 4)).isEqualTo("0123...(10 bytes)");
    }

    @Test
    void printableNeverGoesPastTheLimitEvenInTheMiddleOfAnEscape() {
        byte[] input = concat(KeyText.bytes("a".repeat(KeyText.MAX_PRINTED - 1)), bytes(0xff, 0xff, 0xff));
        assertThat(KeyText.printable(input)).isEqualTo("a".repeat(199) + "...(202 bytes)");
    }

    @Test
    void printableOfNullTextAndEmptyInput() {
        assertThat(KeyText.printable((String) null, 10)).isEqualTo("null");
        assertThat(KeyText.printable(new byte[0])).isEmpty();
    }

    @Test
    void printableOfTextEscapesTheSameWay() {
        assertThat(KeyText.printable("line1\nline2 \\ end", 100)).isEqualTo("line1\\x0aline2 \\\\ end");
    }

    @Test
    void printableEscapesC1ControlCharactersAndLineSeparatorsByteForByte() {
        assertThat(KeyText.printable(KeyText.bytes("a\u0085b"))).isEqualTo("a\\xc2\\x85b");
        assertThat(KeyText.printable(KeyText.bytes("a\u2028b"))).isEqualTo("a\\xe2\\x80\\xa8b");
        assertThat(KeyText.oneLine("line\u2028two\r\nthree", 100)).isEqualTo("line\\u2028two\\u000d\\u000athree");
    }

    @Test
    void strictDecodesValidUtf8AndRejectsInvalidUtf8() {
        assertThat(KeyText.strict(KeyText.bytes("café 😀"))).contains("café 😀");
        assertThat(KeyText.strict(new byte[0])).contains("");
        assertThat(KeyText.strict(KeyText.bytes("a\nb"))).contains("a\nb");
        assertThat(KeyText.strict(concat(KeyText.bytes("lat"), bytes(0xe9), KeyText.bytes("in1"))))
                .isEmpty();
        assertThat(KeyText.strict(bytes(0xff, 0xfe))).isEmpty();
        assertThat(KeyText.strict(bytes(0xc0, 0xaf))).isEmpty();
        assertThat(KeyText.strict(bytes(0xed, 0xa0, 0x80))).isEmpty();
        assertThat(KeyText.strict(bytes(0x61, 0xc3))).isEmpty();
    }

    @Test
    void lenientReplacesInvalidBytesAndBytesRoundTripsText() {
        assertThat(KeyText.lenient(concat(KeyText.bytes("bin:"), bytes(0xff)))).isEqualTo("bin:\uFFFD");
        assertThat(KeyText.bytes("é")).containsExactly(0xc3, 0xa9);
        assertThat(new String(KeyText.bytes("日本"), StandardCharsets.UTF_8)).isEqualTo("日本");
    }
}
