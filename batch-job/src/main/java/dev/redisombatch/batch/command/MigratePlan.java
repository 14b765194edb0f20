package dev.redisombatch.batch.command;

import java.util.List;

/**
 * What {@code migrateData} is about to do, as planned before anything is written: shown to the operator who is asked
 * first. Read-only to make: the applied sets, the migration files and DBSIZE of each master.
 *
 * @param target the Redis written to, without credentials
 * @param data the pending data migrations in plan order, each with the key patterns it walks
 * @param rewalks the applied data migrations {@code --rewalk} walks again
 * @param schema the pending schema migrations
 * @param servers the single server or each cluster master, with its DBSIZE (every key, not only matching ones)
 */
public record MigratePlan(
        String target, List<Pending> data, List<Pending> rewalks, List<String> schema, List<ServerKeys> servers) {

    /** A data migration and the key patterns it walks. */
    public record Pending(String id, List<String> keyPatterns) {}

    /** A server or master and how many keys it holds. */
    public record ServerKeys(String address, long keys) {}

    /** Whether the run has nothing to write, so there is nothing to ask about. */
    public boolean writesNothing() {
        return data.isEmpty() && rewalks.isEmpty() && schema.isEmpty();
    }

    /** The keys on every server together: an upper bound on the keys the walks read. */
    public long estimatedKeys() {
        return servers.stream().mapToLong(ServerKeys::keys).sum();
    }
}
