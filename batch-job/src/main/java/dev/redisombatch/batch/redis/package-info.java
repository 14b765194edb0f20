/**
 * The Redis a run works on, single server or cluster: the URL and its settings, the one Lettuce client with its shared
 * and pipelined connections, the topology and each server's SCAN layout, the token kept in the dataset, retries of
 * transient faults, keys as bytes turned into text, and a hash's {@code DUMP} payload read and written
 * ({@link HashPayload}).
 *
 * <p>May import {@code settings} and {@code failure} only.
 *
 * <p>Start reading at {@link RedisEndpoint}, then {@link TransientFaults} and {@link Topology}.
 */
package dev.redisombatch.batch.redis;
