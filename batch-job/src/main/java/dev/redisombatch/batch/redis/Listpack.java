package dev.redisombatch.batch.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entries of a listpack, the compact encoding Redis 7+ and Valkey keep small hashes, lists, sets and sorted sets in
 * (listpack.md in Redis's source): a header of total bytes and entry count, then each entry's encoding and data
 * followed by its length backwards, then 0xFF. An integer entry is read as the decimal text Redis answers for it.
 */
final class Listpack {

    private static final int HEADER = 6;
    private static final int END = 0xff;
    /** The entry count of a listpack that holds too many to count in its header. */
    private static final int UNCOUNTED = 0xffff;

    private Listpack() {}

    /** @throws IllegalArgumentException or IndexOutOfBoundsException when {@code listpack} is not one */
    static List<byte[]> entries(byte[] listpack) {
        if (listpack.length < HEADER + 1 || littleEndian(listpack, 0, 4) != listpack.length) {
            throw new IllegalArgumentException("not a listpack");
        }
        int count = (int) littleEndian(listpack, 4, 2);
        List<byte[]> entries = new ArrayList<>(count == UNCOUNTED ? 16 : count);
        int at = HEADER;
        while ((listpack[at] & 0xff) != END) {
            int start = at;
            int encoding = listpack[at] & 0xff;
            if ((encoding & 0x80) == 0) { // 0xxxxxxx: an integer 0 to 127
                entries.add(KeyText.decimal(encoding));
                at += 1;
            } else if ((encoding & 0xc0) == 0x80) { // 10xxxxxx: a string of up to 63 bytes
                entries.add(bytes(listpack, at + 1, encoding & 0x3f));
                at += 1 + (encoding & 0x3f);
            } else if ((encoding & 0xe0) == 0xc0) { // 110xxxxx yyyyyyyy: a 13-bit signed integer
                entries.add(KeyText.decimal(signed((encoding & 0x1f) << 8 | listpack[at + 1] & 0xff, 13)));
                at += 2;
            } else if ((encoding & 0xf0) == 0xe0) { // 1110xxxx yyyyyyyy: a string of up to 4095 bytes
                int length = (encoding & 0x0f) << 8 | listpack[at + 1] & 0xff;
                entries.add(bytes(listpack, at + 2, length));
                at += 2 + length;
            } else {
                at = wideEntry(listpack, at, encoding, entries);
            }
            at += backLengthSize(at - start);
        }
        if (at != listpack.length - 1 || (count != UNCOUNTED && count != entries.size())) {
            throw new IllegalArgumentException("listpack ends elsewhere than its header says");
        }
        return entries;
    }

    /** The entries whose encoding is a whole byte: a string with a 32-bit length, or an integer of 16 to 64 bits. */
    private static int wideEntry(byte[] listpack, int at, int encoding, List<byte[]> entries) {
        switch (encoding) {
            case 0xf0 -> {
                long length = littleEndian(listpack, at + 1, 4);
                if (length > listpack.length) {
                    throw new IllegalArgumentException("string longer than the listpack");
                }
                entries.add(bytes(listpack, at + 5, (int) length));
                return at + 5 + (int) length;
            }
            case 0xf1 -> {
                entries.add(KeyText.decimal(signed(littleEndian(listpack, at + 1, 2), 16)));
                return at + 3;
            }
            case 0xf2 -> {
                entries.add(KeyText.decimal(signed(littleEndian(listpack, at + 1, 3), 24)));
                return at + 4;
            }
            case 0xf3 -> {
                entries.add(KeyText.decimal(signed(littleEndian(listpack, at + 1, 4), 32)));
                return at + 5;
            }
            case 0xf4 -> {
                entries.add(KeyText.decimal(littleEndian(listpack, at + 1, 8)));
                return at + 9;
            }
            default -> throw new IllegalArgumentException("unknown listpack encoding " + encoding);
        }
    }

    /** How many bytes hold an entry's length backwards, for an entry of {@code length} bytes (lpEncodeBacklen). */
    private static int backLengthSize(int length) {
        if (length <= 127) {
            return 1;
        } else if (length < 16383) {
            return 2;
        } else if (length < 2097151) {
            return 3;
        } else if (length < 268435455) {
            return 4;
        }
        return 5;
    }

    private static long signed(long value, int bits) {
        return value >= 1L << (bits - 1) ? value - (1L << bits) : value;
    }

    private static long littleEndian(byte[] bytes, int from, int size) {
        if (from + size > bytes.length) {
            throw new IndexOutOfBoundsException("past the listpack");
        }
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = value << 8 | bytes[from + i] & 0xff;
        }
        return value;
    }

    private static byte[] bytes(byte[] listpack, int from, int length) {
        // Not into the end byte: copyOfRange would pad past the array's end rather than fail.
        if (from + length >= listpack.length) {
            throw new IndexOutOfBoundsException("string past the listpack");
        }
        return Arrays.copyOfRange(listpack, from, from + length);
    }
}
