package dev.redisombatch.batch.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.models.role.RedisInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * One command on the one key of each of the 16,384 hash slots ({@link RedisEndpoint#inEverySlot}). On a cluster, each
 * master first gets one {@code per-slot.lua} call over the slots it owns, which runs the command where the master
 * serves those slots steadily; every slot a script did not do (a master with a slot moving, the cluster not ok, a
 * server that knows no script flags, a topology that changed since Lettuce read it) is then sent as one command routed
 * by slot, as all of them were before. A slot done by two masters' scripts (its key moved between the two calls) has
 * the same reply from both. 16,384 routed commands, three times a run, cost a fresh JVM about 1.3 s of CPU; three
 * script calls do not.
 */
final class EverySlot {

    private static final String SCRIPT = LuaSources.load(EverySlot.class, "per-slot.lua");

    private EverySlot() {}

    static <T> List<T> onCluster(
            StatefulRedisClusterConnection<String, String> cluster,
            Duration timeout,
            String what,
            IntFunction<String> keyOfSlot,
            SlotCommand<T> command) {
        List<T> values = new ArrayList<>(Collections.nCopies(SlotSet.SLOTS, null));
        BitSet done = new BitSet(SlotSet.SLOTS);
        List<RedisFuture<List<Object>>> calls = new ArrayList<>();
        for (RedisClusterNode node : cluster.getPartitions()) {
            if (node.getRole() != RedisInstance.Role.UPSTREAM || node.getSlots().isEmpty()) {
                continue;
            }
            List<String> arguments = new ArrayList<>(2 + 2 * node.getSlots().size());
            arguments.add(command.name());
            arguments.add(command.argument());
            for (int slot : node.getSlots()) {
                arguments.add(Integer.toString(slot));
                arguments.add(keyOfSlot.apply(slot));
            }
            try {
                calls.add(cluster.getConnection(node.getNodeId())
                        .async()
                        .eval(SCRIPT, ScriptOutputType.MULTI, new String[0], arguments.toArray(String[]::new)));
            } catch (RuntimeException unreachable) {
                // Its slots go routed below, which fail as they would have.
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (RedisFuture<List<Object>> call : calls) {
            List<Object> replies;
            try {
                replies = call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisCommandInterruptedException(e);
            } catch (ExecutionException | TimeoutException refusedOrLate) {
                // Its slots go routed below; a late call that runs after all only does what they do again.
                continue;
            }
            for (int i = 0; i + 1 < replies.size(); i += 2) {
                int slot = ((Long) replies.get(i)).intValue();
                Object reply = replies.get(i + 1);
                // A nil reply comes back as Lua's false: RESP3's boolean false, RESP2's null.
                values.set(slot, command.fromScript().apply(reply instanceof Boolean ? null : reply));
                done.set(slot);
            }
        }
        routed(cluster.async(), timeout, what, keyOfSlot, command, done, values);
        return values;
    }

    /** Sends {@code command} routed by slot for every slot not {@code done}, and puts its replies in {@code values}. */
    static <T> void routed(
            RedisClusterAsyncCommands<String, String> commands,
            Duration timeout,
            String what,
            IntFunction<String> keyOfSlot,
            SlotCommand<T> command,
            BitSet done,
            List<T> values) {
        Map<Integer, RedisFuture<T>> replies = new LinkedHashMap<>();
        for (int slot = done.nextClearBit(0); slot < SlotSet.SLOTS; slot = done.nextClearBit(slot + 1)) {
            replies.put(slot, command.routed().apply(commands, keyOfSlot.apply(slot)));
        }
        if (!LettuceFutures.awaitAll(timeout, replies.values().toArray(RedisFuture[]::new))) {
            throw new RedisCommandTimeoutException(what + " in every slot timed out");
        }
        replies.forEach((slot, reply) ->
                values.set(slot, LettuceFutures.awaitOrCancel(reply, timeout.toNanos(), TimeUnit.NANOSECONDS)));
    }
}
