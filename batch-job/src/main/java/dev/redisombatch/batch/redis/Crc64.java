package dev.redisombatch.batch.redis;

/**
 * The CRC-64 Redis puts at the end of a {@code DUMP} payload and checks at {@code RESTORE} (crc64.c: the Jones
 * polynomial, bits reflected, no initial or final XOR; "123456789" gives 0xe9c6d914c4b8d9ca).
 */
final class Crc64 {

    private static final long POLYNOMIAL = Long.reverse(0xad93d23594c935a9L);
    private static final long[] TABLE = new long[256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? crc >>> 1 ^ POLYNOMIAL : crc >>> 1;
            }
            TABLE[n] = crc;
        }
    }

    private Crc64() {}

    /** The CRC of the first {@code length} bytes. */
    static long of(byte[] bytes, int length) {
        long crc = 0;
        for (int i = 0; i < length; i++) {
            crc = TABLE[(int) (crc ^ bytes[i]) & 0xff] ^ crc >>> 8;
        }
        return crc;
    }
}
