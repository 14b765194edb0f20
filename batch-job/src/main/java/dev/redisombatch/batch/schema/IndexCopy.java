package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.RedisEndpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --target.indexes=copy}: every RediSearch index the source of a copy has and its target lacks, created on the
 * target from the source's {@code FT.INFO}, before the keys are copied, so that queries work on the target as soon as
 * the copy ends. The source gets only {@code FT._LIST} and {@code FT.INFO}; an index the target has already is left as
 * it is, whatever its definition. The aliases of this tool's zero-downtime replacements ({@code name} for an index
 * {@code name:vN}) are added on the target too, where it lacks them: RediSearch before 8.10 cannot list an index's
 * aliases, so these are asked for by name (FT.INFO of the alias, which must reach that very index); other aliases are
 * not copied.
 */
public final class IndexCopy {

    private static final Logger log = LoggerFactory.getLogger(IndexCopy.class);

    private IndexCopy() {}

    private static final String OPTION = "--target.indexes=copy";

    /**
     * Refuses (exit 2) a copy whose indexes cannot be copied: a cluster on either side, or a side without a search
     * module. Checked before the copy writes anything, and again when it copies them.
     */
    public static void refuseUnfit(RedisEndpoint source, RedisEndpoint target) {
        if (target.isCluster() || source.isCluster()) {
            throw RedisOmBatchException.configuration(OPTION + ": the " + (target.isCluster() ? "target" : "source")
                    + " is a Redis Cluster, where open-source RediSearch indexes each shard on its own; create the"
                    + " indexes on the target yourself");
        }
        searchOn(source, "source").close();
        searchOn(target, "target").close();
    }

    /** @return the names of the indexes created on the target */
    public static List<String> createMissing(RedisEndpoint source, RedisEndpoint target) {
        refuseUnfit(source, target);
        try (SearchCommands from = searchOn(source, "source");
                SearchCommands to = searchOn(target, "target")) {
            Set<String> there = new HashSet<>(to.indexNames());
            List<String> created = new ArrayList<>();
            List<String> sourceIndexes = from.indexNames();
            for (String name : sourceIndexes) {
                if (there.contains(name)) {
                    continue;
                }
                var index = from.info(name);
                if (index.isEmpty()) {
                    continue; // dropped on the source meanwhile
                }
                IndexModel model =
                        ReferenceIndexes.desired(index.get(), OPTION + " (index " + name + " of the source)");
                to.run(model.definition().createCommand(name));
                created.add(name);
            }
            log.info("indexes of the source created on the target: {}", created.isEmpty() ? "none missing" : created);
            List<String> aliased = addMissingAliases(from, to, sourceIndexes);
            if (!aliased.isEmpty()) {
                log.info("aliases of the source added on the target: {}", aliased);
            }
            return created;
        }
    }

    /** The zero-downtime aliases of the source's indexes the target lacks, added there; each as "alias -> index". */
    private static List<String> addMissingAliases(SearchCommands from, SearchCommands to, List<String> sourceIndexes) {
        List<String> added = new ArrayList<>();
        for (String index : sourceIndexes) {
            Optional<String> alias = IndexReplacement.aliasOf(index);
            if (alias.isEmpty()
                    || sourceIndexes.contains(alias.get())
                    || !from.info(alias.get())
                            .map(LiveIndex::name)
                            .filter(index::equals)
                            .isPresent()) {
                continue;
            }
            Optional<LiveIndex> there = to.info(alias.get());
            if (there.isEmpty()) {
                to.run(List.of("FT.ALIASADD", alias.get(), index));
                added.add(alias.get() + " -> " + index);
            } else if (!there.get().name().equals(index)) {
                log.warn(
                        "{} reaches index {} on the target but {} on the source; left as it is on the target",
                        alias.get(),
                        there.get().name(),
                        index);
            }
        }
        return added;
    }

    private static SearchCommands searchOn(RedisEndpoint redis, String which) {
        SearchCommands search = new SearchCommands(redis);
        try {
            search.indexNames();
            return search;
        } catch (SearchModuleMissingException missing) {
            search.close();
            throw RedisOmBatchException.configuration(
                    OPTION + ": the " + which + " " + redis.target() + " has no search module");
        }
    }
}
