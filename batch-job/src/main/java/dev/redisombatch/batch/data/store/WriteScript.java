package dev.redisombatch.batch.data.store;

import dev.redisombatch.batch.redis.PipelinedConnection;
import dev.redisombatch.batch.redis.ServerScript;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends a batch of changed documents through the store's write script with EVALSHA, loading the script when the
 * server does not know it (first use, or a restarted server): one call per batch on a single server. In a cluster, or
 * on a sharded database behind one endpoint, a script may touch keys of one slot only, so the batch goes as one call
 * per slot, all in one pipeline.
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

    public WriteScript(DocumentStore store, WriteMode mode, ChangedCounter counter) {
        this.store = store;
        this.mode = mode;
        this.counter = counter;
        this.script = new ServerScript(store.writeScript());
    }

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
            List<byte[]> arguments = new ArrayList<>(members.size() * 8 + 1);
            arguments.add(counter.fieldBytes());
            for (int m = 0; m < members.size(); m++) {
                PendingWrite write = batch.get(members.get(m));
                keys[m + 1] = write.stored().key();
                store.encodeWrite(write.stored(), write.change(), sentAs, arguments);
            }
            replies.add(script.queue(connection, ScriptOutputType.MULTI, keys, arguments.toArray(byte[][]::new)));
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
