package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.redis.TransientFaults;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the index that queries reach by {@code name} a new definition, in either {@link ReplaceMode}.
 *
 * <p>Every call starts from what FT.INFO reports, so a rerun after a failure or a kill continues rather than repeats:
 * an index that already has the wanted definition is not created again, only waited for. The steps that must not be
 * seen half done go in one MULTI/EXEC, which hides the state between them from queries but does not undo the earlier
 * ones when a later one fails; that is why a definition is tried out before anything is dropped.
 *
 * <ul>
 *   <li>recreate: {@code FT.DROPINDEX old; FT.CREATE old <new definition>} (and the alias again, since dropping an
 *       index drops its aliases), atomically; then wait while it rebuilds.
 *   <li>zero-downtime: {@code FT.CREATE name:vN <new definition>}, wait until it is built, then atomically point
 *       the alias {@code name} at it and drop the old index. A plain index called {@code name} (as Redis OM creates
 *       them) is dropped and replaced by an alias of that name in the same transaction. Never to an index that
 *       could not index documents: those would vanish from every query (see {@link #refuseSwitchIfDocumentsFailed}).
 * </ul>
 * Dropping never passes DD: the documents stay.
 */
public final class IndexReplacement {

    private static final Logger log = LoggerFactory.getLogger(IndexReplacement.class);
    private static final Pattern VERSIONED = Pattern.compile("(.*):v(\\d+)");
    /** RediSearch 2.10.0 as INFO modules numbers it: the first with INDEXMISSING and INDEXEMPTY. */
    private static final int SEARCH_210 = 21000;

    private final SearchCommands search;
    private final IndexBuildWait wait;
    private final Consumer<String> dryRunOutput;

    /** @param dryRunOutput takes the commands, one line each, instead of sending them; {@code null} to send them */
    public IndexReplacement(SearchCommands search, IndexBuildWait wait, Consumer<String> dryRunOutput) {
        this.search = search;
        this.wait = wait;
        this.dryRunOutput = dryRunOutput;
    }

    /**
     * Makes {@code name} answer with {@code wanted}, or drops it when {@code wanted} is empty.
     *
     * @return the index {@code name} now resolves to, or empty when dropped
     */
    public Optional<String> replace(String name, Optional<IndexDefinition> wanted, ReplaceMode mode) {
        Optional<LiveIndex> live = search.info(name);
        if (wanted.isEmpty()) {
            live.ifPresent(index -> send(List.of("FT.DROPINDEX", index.name())));
            return Optional.empty();
        }
        IndexDefinition definition = wanted.get();
        refuseOptionsTheServerLacks(name, definition);
        if (live.isEmpty()) {
            create(name, definition, name, "nothing was created");
            return Optional.of(waitWithoutSwitch(name));
        }
        LiveIndex current = live.get();
        if (definition.sameAs(current.definition())) {
            log.info(
                    dryRunOutput != null
                            ? "{} already has the new definition (in index {}); would wait until it is" + " built"
                            : "{} already has the new definition (in index {}); waiting until it is built",
                    name,
                    current.name());
            return Optional.of(waitWithoutSwitch(current.name()));
        }
        if (!current.unmodelled().isEmpty()) {
            log.warn(
                    "{}: FT.INFO of {} reports what this tool does not model, and the new index has it only if the"
                            + " new definition says so: {}",
                    name,
                    current.name(),
                    String.join("; ", current.unmodelled()));
        }
        List<String> phonetic = current.definition().phoneticMaybeLostIn(definition);
        if (!phonetic.isEmpty()) {
            log.warn(
                    "{}: this RediSearch's FT.INFO does not say whether TEXT field(s) {} of {} have PHONETIC; the new"
                            + " definition has none, so if they had it, the new index does not",
                    name,
                    String.join(", ", phonetic),
                    current.name());
        }
        return Optional.of(
                mode == ReplaceMode.RECREATE
                        ? recreate(name, current, definition)
                        : switchOver(name, current, definition));
    }

    private String recreate(String name, LiveIndex current, IndexDefinition definition) {
        probe(current.name(), definition);
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("FT.DROPINDEX", current.name()));
        commands.add(definition.createCommand(current.name()));
        if (!current.name().equals(name)) {
            commands.add(List.of("FT.ALIASADD", name, current.name()));
        }
        sendAtomically(commands);
        return waitWithoutSwitch(current.name());
    }

    private String switchOver(String name, LiveIndex current, IndexDefinition definition) {
        String next = nextVersion(name, current.name());
        Optional<LiveIndex> leftover = search.info(next);
        if (leftover.isPresent() && !leftover.get().definition().sameAs(definition)) {
            throw new SchemaMigrationException("index " + next + " already exists with another definition ("
                    + String.join(
                            "; ", definition.differencesFrom(leftover.get().definition()))
                    + "); drop it (FT.DROPINDEX " + next + ") if nothing uses it, then rerun");
        }
        if (leftover.isPresent() && leftover.get().failedToIndexSome()) {
            log.info(
                    "index {} is left from an earlier run and could not index {} documents; RediSearch never lowers"
                            + " that count, so it is built again to see whether the documents fit now",
                    next,
                    leftover.get().hashIndexingFailures());
            send(List.of("FT.DROPINDEX", next));
            leftover = Optional.empty();
        }
        if (leftover.isPresent()) {
            log.info("index {} exists with the new definition (an earlier run created it); waiting for it", next);
        } else {
            create(next, definition, name, "the live index was left as it is");
        }
        waitFor(next).ifPresent(built -> refuseSwitchIfDocumentsFailed(name, current.name(), built));
        List<List<String>> commands = current.name().equals(name)
                ? List.of(List.of("FT.DROPINDEX", name), List.of("FT.ALIASADD", name, next))
                : List.of(List.of("FT.ALIASUPDATE", name, next), List.of("FT.DROPINDEX", current.name()));
        sendAtomically(commands);
        log.info(
                dryRunOutput != null
                        ? "{} would point at {}; {} would be dropped (its documents kept)"
                        : "{} now points at {}; {} dropped (its documents kept)",
                name,
                next,
                current.name());
        return next;
    }

    /**
     * INDEXMISSING and INDEXEMPTY came with RediSearch 2.10; 2.6.37 answers FT.CREATE with "Field `INDEXMISSING` does
     * not have a type", which names no culprit. Asked before anything is sent, so the live index stays as it is.
     */
    private void refuseOptionsTheServerLacks(String name, IndexDefinition definition) {
        List<String> fields = definition.fieldsNeedingSearch210();
        if (fields.isEmpty()) {
            return;
        }
        OptionalInt version = search.searchVersion();
        if (version.isPresent() && version.getAsInt() < SEARCH_210) {
            throw new SchemaMigrationException(
                    Failure.CONFIGURATION,
                    "index " + name + ": field(s) " + String.join(", ", fields)
                            + " use INDEXMISSING or INDEXEMPTY, which RediSearch " + version.getAsInt() + " on "
                            + search.target() + " does not have (2.10 and later do); the live index was left as it is");
        }
    }

    /**
     * Commands inside MULTI/EXEC are not undone when a later one fails, and RediSearch checks most of a definition
     * (JSON without RedisJSON, a bad filter, vector attributes) only when FT.CREATE runs. So before dropping the
     * live index, the new definition is created once over a prefix no key has, then dropped.
     */
    private void probe(String index, IndexDefinition definition) {
        if (dryRunOutput != null) {
            return;
        }
        String probe = index + ":probe";
        IndexDefinition empty = definition.withPrefixes(List.of("redis-om-batch:probe:" + System.nanoTime() + ":"));
        try {
            search.run(empty.createCommand(probe));
        } catch (SchemaMigrationException e) {
            throw refused(index, "the live index was left as it is", e);
        }
        search.run(List.of("FT.DROPINDEX", probe));
    }

    /** FT.CREATE {@code index} with {@code definition}; a definition RediSearch refuses is {@link #refused}. */
    private void create(String index, IndexDefinition definition, String name, String leftAsIs) {
        try {
            send(definition.createCommand(index));
        } catch (SchemaMigrationException e) {
            throw refused(name, leftAsIs, e);
        }
    }

    /**
     * A definition refused for what it says is refused again by the same file: the migration needs fixing, not a
     * rerun (exit 3). A reply that says "not now" (OOM, LOADING, BUSY...) stays resumable.
     */
    private static SchemaMigrationException refused(String name, String leftAsIs, SchemaMigrationException e) {
        boolean notNow = e.getCause() instanceof RedisCommandExecutionException reply
                && TransientFaults.isTransientReply(String.valueOf(reply.getMessage()));
        return new SchemaMigrationException(
                notNow ? Failure.INTERRUPTED : Failure.PLAN,
                "the new definition of " + name + " is refused, so " + leftAsIs + ": " + e.getMessage());
    }

    /** {@code name:v2} after the plain index {@code name}, {@code name:v(N+1)} after {@code name:vN}. */
    /**
     * The name queries reach {@code index} by when a zero-downtime replacement made it ({@code name:vN}, the alias
     * {@code name}); empty for any other name. Whether that alias still exists is for FT.INFO to say.
     */
    public static Optional<String> aliasOf(String index) {
        Matcher versioned = VERSIONED.matcher(index);
        return versioned.matches() ? Optional.of(versioned.group(1)) : Optional.empty();
    }

    static String nextVersion(String name, String current) {
        Matcher versioned = VERSIONED.matcher(current);
        int version =
                versioned.matches() && versioned.group(1).equals(name) ? Integer.parseInt(versioned.group(2)) + 1 : 2;
        return name + ":v" + version;
    }

    /**
     * The switch that would hide documents from every query is refused (exit 4): queries through {@code name} keep
     * reaching {@code current}, and {@code built} is kept so that FT.INFO can show what failed.
     */
    static void refuseSwitchIfDocumentsFailed(String name, String current, LiveIndex built) {
        if (built.failedToIndexSome()) {
            throw new SchemaMigrationException(
                    Failure.DATA,
                    "index " + built.name() + " could not index "
                            + built.hashIndexingFailures() + " documents (FT.INFO hash_indexing_failures; "
                            + built.numDocs() + " indexed), so " + name + " still points at " + current + " and "
                            + built.name() + " is kept for inspection");
        }
    }

    /** What to warn about an index queries reach already (created, recreated): there is no old one to keep. */
    static Optional<String> failuresWarning(LiveIndex built) {
        return built.failedToIndexSome()
                ? Optional.of("index " + built.name() + " could not index "
                        + built.hashIndexingFailures() + " documents (FT.INFO hash_indexing_failures; "
                        + built.numDocs()
                        + " indexed): queries miss them until they fit the definition")
                : Optional.empty();
    }

    /** Waits until {@code index} is built; empty in a dry run, which only says it would. */
    private Optional<LiveIndex> waitFor(String index) {
        if (dryRunOutput != null) {
            dryRunOutput.accept("# then wait until FT.INFO " + index + " reports indexing 0 and percent_indexed 1");
            return Optional.empty();
        }
        return Optional.of(wait.until(index));
    }

    private String waitWithoutSwitch(String index) {
        waitFor(index).flatMap(IndexReplacement::failuresWarning).ifPresent(log::warn);
        return index;
    }

    private void send(List<String> command) {
        if (dryRunOutput != null) {
            dryRunOutput.accept(SearchCommands.display(command));
        } else {
            log.info("{}", SearchCommands.display(command));
            search.run(command);
        }
    }

    private void sendAtomically(List<List<String>> commands) {
        if (dryRunOutput != null) {
            dryRunOutput.accept("MULTI");
            commands.forEach(command -> dryRunOutput.accept(SearchCommands.display(command)));
            dryRunOutput.accept("EXEC");
        } else {
            log.info(
                    "MULTI {} EXEC",
                    commands.stream().map(SearchCommands::display).toList());
            search.runAtomically(commands);
        }
    }
}
