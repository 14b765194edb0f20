package dev.redisombatch.batch.copy;

/**
 * One key as the source serialised it ({@code DUMP}), with when it expires.
 *
 * @param expiresAtMillis Unix time in milliseconds; 0 for a key that does not expire
 */
record DumpedKey(byte[] key, byte[] payload, long expiresAtMillis) {}
