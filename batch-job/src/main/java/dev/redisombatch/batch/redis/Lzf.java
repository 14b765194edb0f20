package dev.redisombatch.batch.redis;

/**
 * LZF decompression, as RDB stores a string longer than 20 bytes when compressing it saves space (liblzf's format, no
 * header): a control byte below 32 starts a run of that many plus one literal bytes; any other is a back reference,
 * its top 3 bits the length less 2 (7: one more byte of length follows), its low 5 bits and the next byte the distance
 * back less 1.
 */
final class Lzf {

    private Lzf() {}

    /** @throws IllegalArgumentException or IndexOutOfBoundsException when {@code compressed} does not expand so */
    static byte[] expand(byte[] compressed, long plainLength) {
        if (plainLength < 0 || plainLength > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("length out of range");
        }
        byte[] plain = new byte[(int) plainLength];
        int in = 0;
        int out = 0;
        while (in < compressed.length) {
            int control = compressed[in++] & 0xff;
            if (control < 32) {
                int run = control + 1;
                System.arraycopy(compressed, in, plain, out, run);
                in += run;
                out += run;
                continue;
            }
            int length = control >>> 5;
            if (length == 7) {
                length += compressed[in++] & 0xff;
            }
            int from = out - ((control & 0x1f) << 8) - 1 - (compressed[in++] & 0xff);
            length += 2;
            if (from < 0 || out + length > plain.length) {
                throw new IllegalArgumentException("back reference out of range");
            }
            // Byte by byte: the reference may overlap what it writes (a run of one byte repeated).
            for (int i = 0; i < length; i++) {
                plain[out++] = plain[from++];
            }
        }
        if (out != plain.length) {
            throw new IllegalArgumentException("expanded to another length");
        }
        return plain;
    }
}
