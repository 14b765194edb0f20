package dev.redisombatch.batch.state;

import dev.redisombatch.batch.redis.RedisEndpoint;
import io.lettuce.core.ScriptOutputType;
import java.util.Map;
import java.util.Set;

/**
 * Which migrations of one kind are applied, and their records and generations, in Redis.
 *
 * <ul>
 *   <li>Applied ids: Redis OM's SET ({@link MigrationKind#appliedSet}), so either tool sees the other's work.</li>
 *   <li>Our record of each application: a HASH ({@link MigrationKind#recordKey}); written before the id joins the
 *       SET, so an id in the SET always has its record.</li>
 *   <li>A generation per migration: a counter bumped by every apply, rollback and stamp. A run belongs to the
 *       generation it started in; an unfinished run of an older generation describes data that has changed since
 *       and is never resumed.</li>
 * </ul>
 * Every key is written on its own (no MULTI across keys), so this works wherever each key lives in a cluster. The
 * generation is bumped first: a crash between the steps leaves the migration unapplied in a newer generation, which
 * the next run walks again from the start (transforms are idempotent), never a stale resume.
 *
 * <p>Every write here may be sent twice (a call that timed out can still run before its retry), so each is
 * idempotent: the record, the SET and the DEL are by nature; the generation moves from the one read to the next only
 * if it is still the one read, so a repeated bump does not skip a generation.
 */
public final class AppliedState {

    /** Sets the generation to ARGV[3] if it is still ARGV[2] (absent counts as 0). */
    private static final String NEXT_GENERATION = "local now = redis.call('HGET', KEYS[1], ARGV[1]) or '0' "
            + "if now == ARGV[2] then redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) return 1 end return 0";

    private final RedisEndpoint redis;
    private final MigrationKind kind;

    public AppliedState(RedisEndpoint redis, MigrationKind kind) {
        this.redis = redis;
        this.kind = kind;
    }

    public MigrationKind kind() {
        return kind;
    }

    public Set<String> ids() {
        return redis.call("SMEMBERS " + kind.appliedSet(), commands -> commands.smembers(kind.appliedSet()));
    }

    /** Our record of the migration's application; empty when there is none (not applied, or by another tool). */
    public Map<String, String> record(String id) {
        return redis.call("HGETALL " + kind.recordKey(id), commands -> commands.hgetall(kind.recordKey(id)));
    }

    /** The migration's current generation: 0 until it is first applied, rolled back or stamped. */
    public long generation(String id) {
        String value =
                redis.call("HGET " + kind.generationsKey(), commands -> commands.hget(kind.generationsKey(), id));
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Marks the migration applied under a new generation, keeping {@code record}. */
    public void markApplied(String id, Map<String, String> record) {
        nextGeneration(id);
        redis.call("record " + id, commands -> commands.hset(kind.recordKey(id), record));
        redis.call("SADD " + kind.appliedSet(), commands -> commands.sadd(kind.appliedSet(), id));
    }

    /** Adds or replaces fields of the migration's record, in place: the migration stays in its generation. */
    public void amendRecord(String id, Map<String, String> fields) {
        redis.call("amend the record of " + id, commands -> commands.hset(kind.recordKey(id), fields));
    }

    /** Takes the migration out of the applied set under a new generation and drops our record of it. */
    public void markRolledBack(String id) {
        nextGeneration(id);
        redis.call("SREM " + kind.appliedSet(), commands -> commands.srem(kind.appliedSet(), id));
        redis.call("DEL " + kind.recordKey(id), commands -> commands.del(kind.recordKey(id)));
    }

    private void nextGeneration(String id) {
        long current = generation(id);
        redis.call(
                "bump the generation of " + id,
                commands -> commands.eval(
                        NEXT_GENERATION,
                        ScriptOutputType.INTEGER,
                        new String[] {kind.generationsKey()},
                        id,
                        Long.toString(current),
                        Long.toString(current + 1)));
    }
}
