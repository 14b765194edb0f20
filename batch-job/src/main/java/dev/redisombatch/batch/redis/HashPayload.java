package dev.redisombatch.batch.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A hash as {@code DUMP} serialises it, read and written without asking the server: the object's type byte, the
 * object in RDB form, two bytes of RDB version and Redis's CRC-64 of all of it. A copy that converts a hash on the way
 * reads its fields from the payload it dumped anyway (no {@code HMGET} on the source) and restores the converted hash
 * from a payload of its own (one {@code RESTORE} on the target, no script).
 *
 * <p>Read: the two forms Redis 7+ and Valkey write for a hash without field expiries, a listpack (RDB type 16) and a
 * table of strings (type 4), with every string encoding they use (plain, integer, LZF). Anything else (a ziplist of
 * Redis 6, a hash with field expiries, a format newer than this code) is not read: the caller reads the hash with
 * commands instead. Written: always type 4, which every Redis reads and loads into the encoding its own configuration
 * picks for that many fields of those sizes, as {@code HSET} would.
 *
 * @param rdbVersion the RDB version in the dumped payload's footer, written in the rebuilt one's: a server that
 *     restored the source's payload restores this one
 */
public record HashPayload(byte[][] names, byte[][] values, int rdbVersion) {

    private static final int TYPE_HASH = 4;
    private static final int TYPE_HASH_LISTPACK = 16;
    /** The RDB version (2 bytes) and the CRC-64 (8 bytes) after the object. */
    private static final int FOOTER = 10;

    /** The fields of a dumped hash; null when the payload is not one of the forms read here, or does not parse. */
    public static HashPayload read(byte[] dump) {
        if (dump == null || dump.length < 1 + FOOTER) {
            return null;
        }
        int end = dump.length - FOOTER;
        int version = (dump[end] & 0xff) | (dump[end + 1] & 0xff) << 8;
        try {
            Reader reader = new Reader(dump, 1, end);
            List<byte[]> fields = switch (dump[0]) {
                case TYPE_HASH -> reader.stringTable();
                case TYPE_HASH_LISTPACK -> Listpack.entries(reader.string());
                default -> null;
            };
            if (fields == null || !reader.atEnd() || fields.size() % 2 != 0 || fields.isEmpty()) {
                return null;
            }
            int count = fields.size() / 2;
            byte[][] names = new byte[count][];
            byte[][] values = new byte[count][];
            for (int i = 0; i < count; i++) {
                names[i] = fields.get(2 * i);
                values[i] = fields.get(2 * i + 1);
            }
            return new HashPayload(names, values, version);
        } catch (IndexOutOfBoundsException | IllegalArgumentException unreadable) {
            return null;
        }
    }

    /** The payload {@code RESTORE} takes for this hash (at least one field). */
    public byte[] write() {
        int size = 1 + lengthSize(names.length) + FOOTER;
        for (int i = 0; i < names.length; i++) {
            size += lengthSize(names[i].length) + names[i].length + lengthSize(values[i].length) + values[i].length;
        }
        byte[] payload = new byte[size];
        payload[0] = TYPE_HASH;
        int at = writeLength(payload, 1, names.length);
        for (int i = 0; i < names.length; i++) {
            at = writeString(payload, at, names[i]);
            at = writeString(payload, at, values[i]);
        }
        payload[at++] = (byte) rdbVersion;
        payload[at++] = (byte) (rdbVersion >>> 8);
        long crc = Crc64.of(payload, at);
        for (int i = 0; i < 8; i++) {
            payload[at++] = (byte) (crc >>> (8 * i));
        }
        return payload;
    }

    private static int writeString(byte[] payload, int at, byte[] bytes) {
        at = writeLength(payload, at, bytes.length);
        System.arraycopy(bytes, 0, payload, at, bytes.length);
        return at + bytes.length;
    }

    /** RDB's length: 6 bits in one byte, 14 bits in two, else a marker and 4 bytes big-endian. */
    private static int writeLength(byte[] payload, int at, int length) {
        if (length < 1 << 6) {
            payload[at] = (byte) length;
            return at + 1;
        } else if (length < 1 << 14) {
            payload[at] = (byte) (0x40 | length >>> 8);
            payload[at + 1] = (byte) length;
            return at + 2;
        }
        payload[at] = (byte) 0x80;
        for (int i = 0; i < 4; i++) {
            payload[at + 1 + i] = (byte) (length >>> (24 - 8 * i));
        }
        return at + 5;
    }

    private static int lengthSize(int length) {
        return length < 1 << 6 ? 1 : length < 1 << 14 ? 2 : 5;
    }

    @Override
    public String toString() {
        return "HashPayload[" + names.length + " fields, RDB version " + rdbVersion + "]";
    }

    /** RDB's lengths and strings, from a position of the payload up to the footer. */
    private static final class Reader {

        private static final int ENCODED = 3;
        private static final int INT8 = 0;
        private static final int INT16 = 1;
        private static final int INT32 = 2;
        private static final int LZF = 3;

        private final byte[] bytes;
        private final int end;
        private int at;

        Reader(byte[] bytes, int from, int end) {
            this.bytes = bytes;
            this.at = from;
            this.end = end;
        }

        boolean atEnd() {
            return at == end;
        }

        private int next() {
            if (at >= end) {
                throw new IndexOutOfBoundsException("past the object");
            }
            return bytes[at++] & 0xff;
        }

        /** Type 4: a count of pairs, then each name and value as a string. */
        List<byte[]> stringTable() {
            long pairs = length();
            if (pairs < 0 || pairs > (end - at) / 2) {
                throw new IllegalArgumentException("more pairs than bytes");
            }
            List<byte[]> fields = new ArrayList<>((int) pairs * 2);
            for (long i = 0; i < 2 * pairs; i++) {
                fields.add(string());
            }
            return fields;
        }

        long length() {
            int first = next();
            return switch (first >>> 6) {
                case 0 -> first & 0x3f;
                case 1 -> (first & 0x3f) << 8 | next();
                case 2 -> {
                    if (first != 0x80 && first != 0x81) {
                        throw new IllegalArgumentException("unknown length");
                    }
                    long length = 0;
                    for (int i = first == 0x80 ? 4 : 8; i > 0; i--) {
                        length = length << 8 | next();
                    }
                    yield length;
                }
                default -> -1 - (first & 0x3f); // an encoded string: its encoding, told apart by the sign
            };
        }

        byte[] string() {
            long length = length();
            if (length >= 0) {
                return take(length);
            }
            int encoding = (int) (-1 - length);
            return switch (encoding) {
                case INT8 -> KeyText.decimal((byte) next());
                case INT16 -> KeyText.decimal((short) (next() | next() << 8));
                case INT32 -> KeyText.decimal(next() | next() << 8 | next() << 16 | next() << 24);
                case LZF -> {
                    long compressed = length();
                    long plain = length();
                    yield Lzf.expand(take(compressed), plain);
                }
                default -> throw new IllegalArgumentException("unknown string encoding " + encoding);
            };
        }

        private byte[] take(long length) {
            if (length < 0 || length > end - at) {
                throw new IndexOutOfBoundsException("string past the object");
            }
            byte[] taken = Arrays.copyOfRange(bytes, at, at + (int) length);
            at += (int) length;
            return taken;
        }
    }
}
