/**
 * What the commands return: one record per command, each a {@link Result} (sealed) that carries its failure
 * and hands itself to the text renderer's method for its kind; the command line renders it as text or JSON.
 *
 * <p>May import {@code plan}, {@code ops} (for {@code DocumentCounts}), {@code state} and {@code failure} only.
 *
 * <p>Start reading at {@link Result}, then {@link Results} and {@link SchemaResults}.
 */
package dev.redisombatch.batch.results;
