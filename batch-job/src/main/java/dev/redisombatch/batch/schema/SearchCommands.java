package dev.redisombatch.batch.schema;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.redis.CommandName;
import dev.redisombatch.batch.redis.RedisEndpoint;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FT.* commands, each sent as a list of arguments: index names, prefixes and filters are never spliced into a command
 * string. Lettuce has no FT.INFO, so every command goes through {@code dispatch} on a RESP2 connection (see
 * {@link RedisEndpoint#openResp2}).
 */
public final class SearchCommands implements AutoCloseable {

    /** RediSearch's line in INFO modules ({@code module:name=search,ver=20637,...}); {@code ft} in old releases. */
    private static final Pattern SEARCH_MODULE = Pattern.compile("module:name=(?:search|ft),ver=(\\d+)");

    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_:.$@*|,;>=<!\\[\\]{}()-]+");

    private final RedisEndpoint redis;
    private final StatefulRedisConnection<String, String> connection;

    public SearchCommands(RedisEndpoint redis) {
        this.redis = redis;
        this.connection = redis.transientFaults().call("connect to " + redis.target(), redis::openResp2);
    }

    public String target() {
        return redis.target();
    }

    /** The index {@code nameOrAlias} names, or empty when there is none. */
    public Optional<LiveIndex> info(String nameOrAlias) {
        try {
            List<Object> reply =
                    redis.transientFaults().call("FT.INFO " + nameOrAlias, () -> send(List.of("FT.INFO", nameOrAlias)));
            try {
                return Optional.of(LiveIndex.fromInfoReply(reply));
            } catch (RuntimeException unreadable) {
                throw new SchemaMigrationException("FT.INFO " + nameOrAlias + " on " + redis.target()
                        + ": cannot read the reply (" + unreadable.getMessage() + "); this RediSearch version lists"
                        + " something this tool does not model");
            }
        } catch (RedisCommandExecutionException e) {
            if (isUnknownIndex(e)) {
                return Optional.empty();
            }
            throw failed(List.of("FT.INFO", nameOrAlias), e);
        }
    }

    /** Every index's name (FT._LIST), sorted; aliases are not listed. */
    public List<String> indexNames() {
        try {
            List<Object> reply = redis.transientFaults().call("FT._LIST", () -> send(List.of("FT._LIST")));
            return reply.stream().map(String::valueOf).sorted().toList();
        } catch (RedisCommandExecutionException e) {
            throw failed(List.of("FT._LIST"), e);
        }
    }

    /**
     * The search module's version as INFO modules gives it ({@code 20637} for 2.6.37, {@code 21000} for 2.10.0);
     * empty when INFO does not say (a proxy that hides modules), and then FT.CREATE itself is the judge.
     */
    public OptionalInt searchVersion() {
        String modules = redis.transientFaults()
                .call("INFO modules", () -> connection.sync().info("modules"));
        Matcher line = SEARCH_MODULE.matcher(modules == null ? "" : modules);
        return line.find() ? OptionalInt.of(Integer.parseInt(line.group(1))) : OptionalInt.empty();
    }

    /** Sends one command that changes something; not retried, since the caller checks the state before each step. */
    public void run(List<String> command) {
        try {
            send(command);
        } catch (RedisCommandExecutionException e) {
            throw failed(command, e);
        }
    }

    /**
     * Sends the commands in one MULTI/EXEC, so no query sees the state between them. A command that fails there does
     * not undo the ones before it.
     */
    public void runAtomically(List<List<String>> commands) {
        RedisCommands<String, String> sync = connection.sync();
        sync.multi();
        try {
            for (List<String> command : commands) {
                send(command);
            }
        } catch (RuntimeException e) {
            sync.discard();
            throw e;
        }
        TransactionResult result = sync.exec();
        if (result.wasDiscarded()) {
            throw new SchemaMigrationException("MULTI/EXEC of "
                    + commands.stream().map(SearchCommands::display).toList() + " was discarded");
        }
        for (int i = 0; i < result.size(); i++) {
            if (result.get(i) instanceof Exception error) {
                throw new SchemaMigrationException(display(commands.get(i)) + " failed inside MULTI/EXEC: "
                        + error.getMessage() + " (the other commands of the transaction ran)");
            }
        }
    }

    private List<Object> send(List<String> command) {
        CommandArgs<String, String> arguments = new CommandArgs<>(StringCodec.UTF8);
        command.subList(1, command.size()).forEach(arguments::add);
        try {
            return connection
                    .sync()
                    .dispatch(new CommandName(command.get(0)), new NestedMultiOutput<>(StringCodec.UTF8), arguments);
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() != null
                    && e.getMessage().toLowerCase(Locale.ROOT).contains("unknown command")) {
                throw new SearchModuleMissingException(redis.target());
            }
            throw e;
        }
    }

    private static boolean isUnknownIndex(RedisCommandExecutionException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("unknown index name") || message.contains("no such index");
    }

    private SchemaMigrationException failed(List<String> command, RedisCommandExecutionException e) {
        return new SchemaMigrationException(
                Failure.INTERRUPTED, display(command) + " failed on " + redis.target() + ": " + e.getMessage(), e);
    }

    /** The command as one line that redis-cli would take back: arguments with spaces or quotes are quoted. */
    public static String display(List<String> command) {
        StringBuilder line = new StringBuilder();
        for (String argument : command) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            if (PLAIN_WORD.matcher(argument).matches()) {
                line.append(argument);
            } else {
                line.append('"')
                        .append(argument.replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        connection.close();
    }
}
