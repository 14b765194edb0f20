package dev.redisombatch.batch.copy;

/**
 * One key as the source serialised it ({@code DUMP}), with when it expires.
 *
 * @param expiresAtMillis Unix time in milliseconds; 0 for a key that does not expire
 */
record DumpedKey(byte[] key, byte[] payload, long expiresAtMillis) {

    /**
     * The key's type as {@code TYPE} names it, from the first byte of its payload, the RDB object type, where that is
     * one Redis 2.6 to 8 and Valkey write alike for that type alone (rdb.h); null for any other byte (a module's type,
     * a hash with field TTLs, a type newer than this code), whose type is then asked. Spares the copy a TYPE per
     * document it converts on the way.
     */
    String typeFromPayload() {
        if (payload.length == 0) {
            return null;
        }
        return switch (payload[0]) {
            case 0 -> "string";
            case 1, 10, 14, 18 -> "list";
            case 2, 11, 20 -> "set";
            case 3, 5, 12, 17 -> "zset";
            case 4, 9, 13, 16 -> "hash";
            case 15, 19, 21 -> "stream";
            default -> null;
        };
    }
}
