package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.ServerScript;
import dev.redisombatch.batch.redis.TransientFaults;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a batch of changed documents through the store's write script with EVALSHA, loading the script when the
 * server does not know it (first use, or a restarted server): one call per batch on a single server. In a cluster a
 * batch of one master's keys goes as one call to that master too, the script declaring {@code allow-cross-slot-keys}
 * (Redis 7+, Valkey): a master runs such a call only when it serves every slot named, so a batch caught by a slot
 * moving (MOVED, ASK, TRYAGAIN) is refused whole, before anything ran, and then goes as one call per slot, routed and
 * redirected by slot, as it does on a sharded database behind one endpoint, where a script may touch keys of one slot
 * only.
 *
 * <p>Both write modes go through the script: {@link WriteMode#CONDITIONAL} with its checks, {@link WriteMode#OVERWRITE}
 * without. Measured on 2M users, blind writes as one command per key cost the client about twice the CPU per key of
 * one script call per batch, and the server no less (docs/performance.md).
 */
public final class WriteScript {

    private final DocumentStore store;
    private final WriteMode mode;
    private final ChangedCounter counter;
    private final ServerScript script;
    private final ServerScript crossSlotScript;
    /** Set once a master refused the cross-slot script itself (a server before Redis 7): per-slot calls from then. */
    private volatile boolean crossSlotRefused;

    public WriteScript(DocumentStore store, WriteMode mode, ChangedCounter counter) {
        this.store = store;
        this.mode = mode;
        this.counter = counter;
        this.script = new ServerScript(store.writeScript());
        this.crossSlotScript = new ServerScript(withKeysInArguments(store.writeScript()));
    }

    /**
     * The write script as one call may run over keys of several slots of one master: {@code cross-slot-prelude.lua}
     * (the flag {@code allow-cross-slot-keys}, only the counter declared, the documents' keys and slots in the
     * arguments, and the check that the master serves every key before anything is written: from its own slot map
     * while no slot moves, with one EXISTS per slot of the batch otherwise), then the store's script without its
     * {@link #LAYOUT} line: the prelude declares those names over its own arguments, so the script reads them in
     * place. (Copying a batch's arguments into tables of the script's layout cost the server about 0.45 us per
     * document, a quarter of the script's own work: docs/performance.md.)
     */
    static String withKeysInArguments(String script) {
        Matcher layout = LAYOUT.matcher(script);
        if (!layout.find()) {
            throw new IllegalStateException("a store's write script must declare its layout: " + LAYOUT.pattern());
        }
        return CROSS_SLOT_PRELUDE + layout.replaceFirst("");
    }

    /**
     * The line of a store's write script that says where its documents are in a call of its own (KEYS and ARGV), which
     * {@code cross-slot-prelude.lua} declares instead.
     */
    static final Pattern LAYOUT = Pattern.compile("(?m)^local DOC_KEYS, LAST_KEY, DOC_ARGV, FIELD_AT = .*\\R");

    private static final String CROSS_SLOT_PRELUDE = DocumentStore.script("cross-slot-prelude.lua");

    /**
     * The error the cross-slot script ends with, unwritten, when the master does not serve a key of the batch (as
     * {@code cross-slot-prelude.lua} spells it).
     */
    static final String NOT_SERVED_HERE = "NOTSERVEDHERE";

    /**
     * What a batch's argument list is sized for per document, so that it does not grow as it fills: a hash's
     * conditional write of one field read and one set takes 6 ({@link HashStore#encodeWrite}).
     */
    private static final int ARGUMENTS_PER_DOCUMENT = 7;

    /** Sends {@code batch} for the first time: {@link #run(PipelinedConnection, List, boolean)}. */
    public List<Object> run(PipelinedConnection connection, List<PendingWrite> batch) {
        return run(connection, batch, false);
    }

    /**
     * Writes what still holds (in {@link WriteMode#OVERWRITE}, everything); returns one entry per document, in order:
     * 1 written, 0 changed since it was read, -1 gone, -2 replaced by another type, 2 nothing to write (a hash whose
     * fields already have the expiry times asked), or the error Redis gave for its write.
     *
     * @param resent the batch was sent before and that send failed in a way that does not say whether it ran (a
     *     timeout, a dropped connection). It then goes conditionally in either mode: what the first send wrote reads as
     *     changed, is read again and found done, instead of being written, and counted, a second time.
     */
    public List<Object> run(PipelinedConnection connection, List<PendingWrite> batch, boolean resent) {
        if (batch.size() > 1 && connection.readsOneClusterMaster() && !crossSlotRefused) {
            String counterKey = new String(counter.keyFor(batch.get(0).stored().key()), StandardCharsets.UTF_8);
            List<Object> statuses = sendToTheMaster(connection, batch, counterKey, resent);
            if (statuses != null) {
                return statuses;
            }
            // Refused whole (nothing ran), or failed part way (a script error): sent again per slot, conditionally.
            resent = true;
        }
        Map<String, List<Integer>> bySlotCounter = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byte[] documentKey = batch.get(i).stored().key();
            String counterKey = counter.perSlot() || i == 0
                    ? new String(counter.keyFor(documentKey), StandardCharsets.UTF_8)
                    : bySlotCounter.keySet().iterator().next();
            bySlotCounter
                    .computeIfAbsent(counterKey, any -> new ArrayList<>(batch.size()))
                    .add(i);
        }
        // In a cluster, a batch goes as one call per slot: after NOSCRIPT from one server, the calls that other
        // servers ran are sent again too, so that second send is conditional as well.
        int[] sends = {resent ? 1 : 0};
        return script.run(
                connection,
                () -> send(connection, batch, bySlotCounter, sends[0]++ > 0 ? WriteMode.CONDITIONAL : mode));
    }

    /**
     * The batch as one call to the master the connection walks, its change counted in the counter of its first
     * document's slot; null when the master refused or failed it (it is then sent per slot). A script the master does
     * not know yet is loaded there and the call sent once more: nothing of a call answered NOSCRIPT ran.
     */
    private List<Object> sendToTheMaster(
            PipelinedConnection connection, List<PendingWrite> batch, String counterKey, boolean resent) {
        byte[][] keys = {counterKey.getBytes(StandardCharsets.UTF_8)};
        List<byte[]> arguments = new ArrayList<>(batch.size() * (2 + ARGUMENTS_PER_DOCUMENT) + 2);
        arguments.add(KeyText.decimal(batch.size()));
        for (PendingWrite write : batch) {
            arguments.add(write.stored().key());
        }
        for (PendingWrite write : batch) {
            arguments.add(KeyText.decimal(SlotHash.getSlot(write.stored().key())));
        }
        arguments.add(counter.fieldBytes());
        for (PendingWrite write : batch) {
            store.encodeWrite(write, resent ? WriteMode.CONDITIONAL : mode, arguments);
        }
        try {
            return crossSlotScript.runOn(connection, connection.reads(), () -> {
                RedisFuture<List<Object>> reply = crossSlotScript.queueOn(connection.reads(), keys, arguments);
                connection.flush();
                return connection.await(reply);
            });
        } catch (RedisNoScriptException stillUnknown) {
            throw stillUnknown;
        } catch (RedisCommandExecutionException refused) {
            if (!refusedForNow(String.valueOf(refused.getMessage()))) {
                crossSlotRefused = true;
            }
            return null;
        }
    }

    /**
     * A refusal of the moment (a slot of the batch moving or served elsewhere, memory, a failover) rather than of the
     * cross-slot script itself (a server that does not know script flags).
     */
    private static boolean refusedForNow(String error) {
        return error.startsWith(NOT_SERVED_HERE) || TransientFaults.isTransientReply(error);
    }

    private List<Object> send(
            PipelinedConnection connection,
            List<PendingWrite> batch,
            Map<String, List<Integer>> bySlotCounter,
            WriteMode sentAs) {
        List<RedisFuture<List<Object>>> replies = new ArrayList<>(bySlotCounter.size());
        for (Map.Entry<String, List<Integer>> group : bySlotCounter.entrySet()) {
            List<Integer> members = group.getValue();
            byte[][] keys = new byte[members.size() + 1][];
            keys[0] = group.getKey().getBytes(StandardCharsets.UTF_8);
            List<byte[]> arguments = new ArrayList<>(members.size() * ARGUMENTS_PER_DOCUMENT + 1);
            arguments.add(counter.fieldBytes());
            for (int m = 0; m < members.size(); m++) {
                PendingWrite write = batch.get(members.get(m));
                keys[m + 1] = write.stored().key();
                store.encodeWrite(write, sentAs, arguments);
            }
            replies.add(script.queue(connection, keys, arguments));
        }
        connection.flushAndSettle(replies);
        Object[] statuses = new Object[batch.size()];
        int g = 0;
        for (List<Integer> members : bySlotCounter.values()) {
            List<Object> reply = connection.await(replies.get(g++));
            for (int m = 0; m < members.size(); m++) {
                statuses[members.get(m)] = reply.get(m);
            }
        }
        return Arrays.asList(statuses);
    }
}
