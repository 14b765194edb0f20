package dev.redisombatch.batch.data.store;

/** How changed documents are written. */
public enum WriteMode {
    /**
     * Each document is written only if what the migration read is still what Redis holds and the key still exists:
     * an application's concurrent update is never overwritten and a key that expired or was deleted is never brought
     * back. One Lua script per batch; a document that changed is read and transformed again.
     */
    CONDITIONAL,
    /**
     * Blind HSET/HDEL/DEL of the changed fields (through the same script, without its checks): spares the server
     * the comparisons (little, measured), but an application's write to the same fields between the read and the
     * write is lost, and a key that expired in between comes back. Only for maintenance windows in which nothing else
     * writes.
     */
    OVERWRITE
}
