/**
 * How documents of one Redis type are read and written: hashes and RedisJSON documents loaded a page at a time in one
 * pipeline, kept as the bytes that were read, and written by a Lua script (next to these classes in the resources)
 * that writes a document only if it is still what was read, counting the changes in the same atomic step.
 *
 * <p>May import {@code state}, {@code redis}, {@code failure} and the migration API only.
 *
 * <p>Start reading at {@link DocumentStore}, then {@link HashStore} and {@link WriteScript}.
 */
package dev.redisombatch.batch.data.store;
