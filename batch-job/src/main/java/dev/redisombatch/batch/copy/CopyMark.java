package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.DatasetMark;
import dev.redisombatch.batch.redis.OwnKeys;
import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.Topology;
import dev.redisombatch.batch.results.CopyHeld;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the target says of the copy it holds, in a hash of its own ({@value #KEY}): the source, the target's
 * {@code DatasetMark} token when the copy began, when it began and when it completed, how many times the source had
 * changed when it began ({@link SourceChanges}) and how many keys the target had evicted ({@link TargetEvictions}),
 * and, after a follow that ended with nothing missed, how many times the source had changed then ({@code in_step_*}).
 * Kept in the target's data so that it goes where the data goes: a flushed target has none, a target flushed in part
 * has other dataset tokens. What is written after it began is written only into the mark it began (its dataset token
 * still the same), never into a hash a flush left empty.
 */
public final class CopyMark {

    static final String KEY = OwnKeys.PREFIX + "copy";
    static final String SOURCE = "source";
    static final String DATASET = "dataset";
    static final String STARTED_AT = "started_at";
    static final String COMPLETED_AT = "completed_at";
    /** Set when a copy that completed was found partly lost since (a restart from an older snapshot, say). */
    static final String LOST = "lost";
    /** Which keys the copy takes ({@code all}, {@code migrated}): the same in every run of it. */
    static final String KEYS = "keys";
    /** With {@code --target.copy=migrated}: the patterns and types it took ({@link CopiedKeys#selected}). */
    static final String SELECTED = "keys_selected";

    /**
     * When the target's indexes and its set of applied schema migrations were set up from the source's, before the
     * schema migrations and the keys ({@code KeyCopy}); absent until then.
     */
    static final String SCHEMA_TAKEN_AT = "schema_taken_at";

    static final String IN_STEP_AT = "in_step_at";
    /** The migrations made on the way, each as its id and checksum; absent for a copy that made none. */
    static final String CONVERTED = "converted_by";

    private static final String IN_STEP_PREFIX = "in_step_";

    private final RedisEndpoint target;
    private final String source;
    private final String dataset;

    CopyMark(RedisEndpoint target, String source, String dataset) {
        this.target = target;
        this.source = source;
        this.dataset = dataset;
    }

    /** What the target holds; empty when it holds no copy. */
    Map<String, String> read() {
        return target.call("read " + KEY, commands -> commands.hgetall(KEY));
    }

    /**
     * @param sourceAtStart how many times the source had changed when the copy began
     * @param targetAtStart how many keys the target had evicted then
     * @param keys which keys it takes
     * @param converted the migrations it makes on the way, each as its id and checksum; empty for none
     */
    void begin(SourceChanges sourceAtStart, TargetEvictions targetAtStart, CopiedKeys keys, String converted) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(SOURCE, source);
        fields.put(KEYS, keys.mode().name().toLowerCase(java.util.Locale.ROOT));
        if (!keys.selected().isEmpty()) {
            fields.put(SELECTED, keys.selected());
        }
        if (!converted.isEmpty()) {
            fields.put(CONVERTED, converted);
        }
        fields.put(DATASET, dataset);
        fields.put(STARTED_AT, Instant.now().toString());
        sourceAtStart.writeTo(fields, "");
        targetAtStart.writeTo(fields);
        target.call("write " + KEY, commands -> commands.hset(KEY, fields));
    }

    /**
     * Records the copy complete, if the target still holds its mark as it began: a target flushed meanwhile would
     * otherwise get a mark naming no source and claiming a copy it does not hold.
     *
     * @return whether it was recorded
     */
    boolean complete(Instant at) {
        Long written = target.call(
                "write " + KEY,
                commands -> commands.eval(
                        UNLESS_HELD_RETURN_0 + "redis.call('HSET', KEYS[1], '" + COMPLETED_AT + "', ARGV[2])"
                                + " redis.call('HDEL', KEYS[1], '" + LOST + "') return 1",
                        ScriptOutputType.INTEGER,
                        new String[] {KEY},
                        dataset,
                        at.toString()));
        // A walk that completed made the copy whole again: a loss found after an earlier completion no longer holds.
        return written != null && written == 1;
    }

    /** Deletes the mark, if it is still the one this copy began. */
    void forget() {
        target.call(
                "delete " + KEY,
                commands -> commands.eval(
                        UNLESS_HELD_RETURN_0 + "return redis.call('DEL', KEYS[1])",
                        ScriptOutputType.INTEGER,
                        new String[] {KEY},
                        dataset));
    }

    /**
     * The start of each script that writes the mark (KEYS[1]) after it began: nothing, and 0, unless its
     * {@value #DATASET} field is still ARGV[1], the token the copy began on.
     */
    private static final String UNLESS_HELD_RETURN_0 =
            "if redis.call('HGET', KEYS[1], '" + DATASET + "') ~= ARGV[1] then return 0 end ";

    /** Sets ARGV[2..] (field, value pairs) on the mark. */
    private static final String SET_IF_HELD =
            UNLESS_HELD_RETURN_0 + "redis.call('HSET', KEYS[1], unpack(ARGV, 2)) return 1";

    private boolean writeIfStillHeld(Map<String, String> fields) {
        String[] arguments = new String[fields.size() * 2 + 1];
        arguments[0] = dataset;
        int i = 1;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            arguments[i++] = field.getKey();
            arguments[i++] = field.getValue();
        }
        Long written = target.call(
                "write " + KEY,
                commands -> commands.eval(SET_IF_HELD, ScriptOutputType.INTEGER, new String[] {KEY}, arguments));
        return written != null && written == 1;
    }

    /**
     * Why what the target holds is no longer the data the copy began on (flushed or replaced, in whole or in part,
     * as its dataset mark tells); null when it still is.
     *
     * @param now the target as just read
     */
    String datasetChange(Topology now) {
        return now.dataset().equals(dataset)
                ? null
                : target.target() + " was flushed or replaced, in whole or in part (its dataset token is "
                        + DatasetMark.abbreviated(now.dataset()) + ", not " + DatasetMark.abbreviated(dataset)
                        + " as when the copy began)";
    }

    /**
     * {@link #datasetChange}, else why the target's masters are other processes than {@code processesThen} (a
     * restart, a failover: what they had not saved or replicated may be lost); null when neither.
     *
     * @param during when the processes changed, for the message (" while following", say)
     */
    String changeSince(Topology now, Set<String> processesThen, String during) {
        String change = datasetChange(now);
        return change != null ? change : processesChange(target, during, processesThen, now.runIds());
    }

    /** Why {@code target}'s masters are other processes now than then; null when they are the same. */
    static String processesChange(RedisEndpoint target, String during, Set<String> then, Set<String> now) {
        return now.equals(then)
                ? null
                : target.target() + " restarted or failed over" + during + " (run_id " + String.join(",", then)
                        + " then, " + String.join(",", now) + " now): what it had not saved or replicated may be lost";
    }

    /** Records the target's schema set up from the source's; like {@link #complete}, only on the mark the copy began. */
    void schemaTaken(Instant at) {
        writeIfStillHeld(Map.of(SCHEMA_TAKEN_AT, at.toString()));
    }

    static boolean schemaTaken(Map<String, String> recorded) {
        return recorded.containsKey(SCHEMA_TAKEN_AT);
    }

    /**
     * Records that the target held every change the source had made as of {@code sourceThen} (a follow that ended
     * with nothing missed): the point the next run measures the source's changes from. Like {@link #complete}, only
     * on the mark the copy began.
     *
     * @return whether it was recorded
     */
    boolean inStep(SourceChanges sourceThen, Instant at) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(IN_STEP_AT, at.toString());
        sourceThen.writeTo(fields, IN_STEP_PREFIX);
        return writeIfStillHeld(fields);
    }

    /**
     * The last point at which the target held every change of the source, and when: a follow's clean end, else the
     * start of the copy (changes from then on may be missing); null when the target holds no copy.
     */
    static InStep lastInStep(Map<String, String> recorded) {
        SourceChanges followed = SourceChanges.from(recorded, IN_STEP_PREFIX);
        if (followed != null) {
            return new InStep(followed, recorded.get(IN_STEP_AT));
        }
        SourceChanges copied = SourceChanges.from(recorded, "");
        return copied == null ? null : new InStep(copied, recorded.get(STARTED_AT));
    }

    /** How many times the source had changed when the target last held it all, and when that was. */
    record InStep(SourceChanges source, String at) {}

    /** The run_ids of {@code target}'s masters now. */
    public static Set<String> processesOf(RedisEndpoint target) {
        return target.call("read the target", commands -> target.topology()).runIds();
    }

    /**
     * Why {@code target} no longer holds the copy of {@code source} it held when its migrations began: flushed or
     * replaced since (no mark, or another dataset token), or restarted or failed over since {@code processesThen}
     * were its masters (what it had not saved or replicated may be lost); null when it still does. A run whose
     * migrations found an empty or a partly lost target must not end as if they had converted a copy; the mark then
     * says the copy was lost ({@value #LOST}), so that no later run takes it for whole either.
     */
    public static String lostSince(RedisEndpoint target, String source, Set<String> processesThen) {
        Map<String, String> recorded = target.call("read " + KEY, commands -> commands.hgetall(KEY));
        if (recorded.isEmpty()) {
            return target.target() + " no longer holds the copy of " + source + " (no " + KEY + "): it was flushed"
                    + " or replaced while the migrations ran there";
        }
        CopyMark mark = new CopyMark(target, source, recorded.get(DATASET));
        Topology now = target.call("read the target", commands -> target.topology());
        String lost = processesThen == null
                ? mark.datasetChange(now)
                : mark.changeSince(now, processesThen, " while the migrations ran there");
        if (lost != null) {
            mark.writeIfStillHeld(Map.of(LOST, Instant.now() + ": " + lost));
        }
        return lost;
    }

    /** Why the copy the mark describes was found lost after it completed, and when; null when it was not. */
    static String lost(Map<String, String> recorded) {
        return recorded.get(LOST);
    }

    /** The copy {@code redis} holds, as its mark says; null when it holds none. */
    public static CopyHeld heldBy(RedisEndpoint redis) {
        Map<String, String> recorded = redis.call("read " + KEY, commands -> commands.hgetall(KEY));
        return recorded.isEmpty()
                ? null
                : new CopyHeld(
                        recorded.get(SOURCE),
                        recorded.get(STARTED_AT),
                        recorded.get(COMPLETED_AT),
                        keysOf(recorded).name().toLowerCase(java.util.Locale.ROOT),
                        recorded.get(IN_STEP_AT),
                        recorded.get(LOST));
    }

    static boolean completed(Map<String, String> recorded) {
        return recorded.containsKey(COMPLETED_AT);
    }

    /** Which keys the copy {@code recorded} takes; every key for a mark from before the choice was kept. */
    static CopySettings.Copied keysOf(Map<String, String> recorded) {
        return CopySettings.Copied.valueOf(recorded.getOrDefault(KEYS, "all").toUpperCase(java.util.Locale.ROOT));
    }

    /** Which keys the copy {@code redis} holds took; every key when it holds none. */
    public static CopySettings.Copied keysCopiedTo(RedisEndpoint redis) {
        return keysOf(redis.call("read " + KEY, commands -> commands.hgetall(KEY)));
    }

    /**
     * Refuses a target holding the copy of another source, or of other keys ({@code --target.copy}), or whose data
     * changed since its copy began.
     */
    void refuseOtherCopy(Map<String, String> recorded, CopiedKeys copied) {
        refuseOtherCopy(recorded, copied.mode());
        String then = recorded.getOrDefault(SELECTED, "");
        if (source.equals(recorded.get(SOURCE)) && !then.equals(copied.selected())) {
            throw new RedisOmBatchException(
                    Failure.TARGET_IN_USE,
                    target.target() + " holds a copy of " + source + " that took the documents of " + then
                            + "; this run's migrations select " + copied.selected()
                            + ": give the same migrations, or flush the target and copy again");
        }
    }

    /**
     * The migrations a copy begun earlier makes on the way, as this run would make them ({@code converted}, each as
     * its id and checksum): its documents converted so far must not be mixed with documents converted by other code
     * or left to other migrations. Empty for a copy that makes none (begun without, or by a version before it could).
     */
    static String convertedBy(Map<String, String> recorded) {
        return recorded.getOrDefault(CONVERTED, "");
    }

    private void refuseOtherCopy(Map<String, String> recorded, CopySettings.Copied keys) {
        if (recorded.containsKey(SOURCE) && source.equals(recorded.get(SOURCE)) && keysOf(recorded) != keys) {
            throw new RedisOmBatchException(
                    Failure.TARGET_IN_USE,
                    target.target() + " holds a copy of " + source + " made with --target.copy="
                            + keysOf(recorded).name().toLowerCase(java.util.Locale.ROOT) + ", not "
                            + keys.name().toLowerCase(java.util.Locale.ROOT)
                            + ": give that, or flush the target and copy again");
        }
        if (!source.equals(recorded.get(SOURCE))) {
            throw new RedisOmBatchException(
                    Failure.TARGET_IN_USE,
                    target.target() + " holds a copy of " + recorded.get(SOURCE) + " (" + KEY + "), not of " + source
                            + ": copy to an empty Redis");
        }
        if (!dataset.equals(recorded.get(DATASET))) {
            throw new RedisOmBatchException(
                    Failure.TARGET_IN_USE,
                    target.target() + " changed since the copy of " + source + " began at "
                            + recorded.get(STARTED_AT)
                            + " (flushed or restored, in whole or in part): its data is no longer that copy."
                            + " Flush it and run the same command to copy again");
        }
    }
}
