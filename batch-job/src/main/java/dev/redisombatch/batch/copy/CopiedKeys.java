package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.KeyPattern;
import dev.redisombatch.batch.redis.OwnKeys;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.state.MigrationKind;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.RedisType;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which of the source's keys a copy takes: every key ({@code --target.copy=all}), or only the documents a data
 * migration known to the run selects, by one of its patterns (matched here as SCAN matches) and its types
 * ({@code --target.copy=migrated}): the target then holds the migrated model's documents and nothing else. A key whose
 * name a pattern matches has its type asked (TYPE, in the reading pipeline's connection), so a string beside the
 * hashes, Redis OM's index hash for one, is left out. Redis OM's sets of applied migration ids are never taken: the
 * target keeps its own, set up by the copy from the source's ({@code KeyCopy}) and then written by the migrations run
 * there.
 */
public final class CopiedKeys {

    private record Selector(Predicate<byte[]> names, Set<String> types) {}

    /** Null for every key. */
    private final List<Selector> selectors;

    /** What the selectors take, as text that is the same for the same selectors in any order; empty for every key. */
    private final String selected;

    private CopiedKeys(List<Selector> selectors, String selected) {
        this.selectors = selectors;
        this.selected = selected;
    }

    /**
     * Which keys a copy made with {@code --target.copy=migrated} takes (the patterns and types of the migrations known
     * when it began), recorded with it: a resumed copy taking other keys would leave the target with keys of two
     * choices. Empty for every key.
     */
    String selected() {
        return selected;
    }

    /** The keys a copy made as {@code copied} says takes, {@code known} the selectors of the data migrations known. */
    public static CopiedKeys of(CopySettings.Copied copied, List<KeySelector> known) {
        return copied == CopySettings.Copied.MIGRATED ? selectedBy(known) : new CopiedKeys(null, "");
    }

    static CopiedKeys selectedBy(List<KeySelector> migrations) {
        if (migrations.isEmpty()) {
            throw RedisOmBatchException.configuration("--target.copy=migrated: no data migration is known here, so"
                    + " no key would be copied; give the migrations (--migrations-jar, --datetime.*) or"
                    + " --target.copy=all");
        }
        return new CopiedKeys(
                migrations.stream()
                        .map(keys -> new Selector(
                                KeyPattern.anyOf(keys.patterns()),
                                keys.types().stream().map(RedisType::redisName).collect(Collectors.toSet())))
                        .toList(),
                migrations.stream()
                        .flatMap(keys -> keys.patterns().stream()
                                .flatMap(
                                        pattern -> keys.types().stream().map(type -> pattern + " " + type.redisName())))
                        .distinct()
                        .sorted()
                        .collect(Collectors.joining(", ")));
    }

    CopySettings.Copied mode() {
        return selectors == null ? CopySettings.Copied.ALL : CopySettings.Copied.MIGRATED;
    }

    /**
     * Of {@code names}, those copied, and those whose name a migration selects but whose type none does (no longer
     * there, or another type now): what a follow deletes on the target. Names no pattern matches, and those not
     * {@link #dataOf data}, are in neither.
     */
    Split split(PipelinedConnection source, List<byte[]> names) {
        List<byte[]> data = dataOf(names);
        if (selectors == null) {
            return new Split(data, List.of());
        }
        List<byte[]> named = data.stream()
                .filter(name ->
                        selectors.stream().anyMatch(selector -> selector.names().test(name)))
                .toList();
        List<RedisFuture<String>> types = new ArrayList<>(named.size());
        named.forEach(name -> types.add(source.reads().type(name)));
        source.flush();
        List<byte[]> copied = new ArrayList<>(named.size());
        List<byte[]> notCopied = new ArrayList<>();
        for (int i = 0; i < named.size(); i++) {
            byte[] name = named.get(i);
            String type = source.await(types.get(i));
            boolean selected = selectors.stream()
                    .anyMatch(selector ->
                            selector.types().contains(type) && selector.names().test(name));
            (selected ? copied : notCopied).add(name);
        }
        return new Split(copied, notCopied);
    }

    /**
     * The keys less this tool's own and Redis OM's sets of applied migration ids: the target's records of its own
     * migrations, which the copy sets up itself and the migrations run there write, are no data to copy or compare.
     */
    static List<byte[]> dataOf(List<byte[]> keys) {
        List<byte[]> data = new ArrayList<>(keys.size());
        for (byte[] key : OwnKeys.without(keys)) {
            if (MigrationKind.ofAppliedSet(key) == null) {
                data.add(key);
            }
        }
        return data;
    }

    /**
     * @param copied the names to copy
     * @param notCopied names a migration's pattern matches whose key is not of a type it selects (or is gone)
     */
    record Split(List<byte[]> copied, List<byte[]> notCopied) {}
}
