package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.ServerInfo;
import dev.redisombatch.batch.redis.Topology;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many keys the target's servers have evicted ({@code evicted_keys} of {@code INFO stats}), by run_id. A target
 * whose {@code maxmemory-policy} evicts drops keys without a word once it is full, copied ones among them: a copy or a
 * follow during which it evicted is not whole. Read only (INFO, CONFIG GET).
 */
record TargetEvictions(Map<String, Long> byRunId) {

    private static final Logger log = LoggerFactory.getLogger(TargetEvictions.class);
    private static final String FIELD = "target_evicted";

    /** @param topology the target's masters, as just read */
    static TargetEvictions of(RedisEndpoint target, Topology topology) {
        Map<String, Long> byRunId = new TreeMap<>();
        for (Topology.Master master : topology.masters()) {
            String stats = target.call("INFO stats of the target", commands -> target.infoOn(master.nodeId(), "stats"));
            byRunId.put(master.runId(), Long.parseLong(ServerInfo.field(stats, "evicted_keys")));
        }
        return new TargetEvictions(byRunId);
    }

    /** Keys evicted since each server started. */
    long total() {
        return byRunId.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Says, once, when the target would evict keys once full: a copy that fills it then does not complete. */
    static void warnIfEvicting(RedisEndpoint target) {
        try {
            Map<String, String> memory =
                    target.call("CONFIG GET maxmemory* of the target", commands -> commands.configGet("maxmemory*"));
            String policy = memory.getOrDefault("maxmemory-policy", "noeviction");
            if (!"noeviction".equals(policy) && !"0".equals(memory.getOrDefault("maxmemory", "0"))) {
                log.warn(
                        "the target evicts keys once it holds maxmemory ({} bytes, maxmemory-policy {}): should the"
                                + " copy fill it, keys are dropped, and the copy is then not completed",
                        memory.get("maxmemory"),
                        policy);
            }
        } catch (RuntimeException refused) {
            // A hosted target may refuse CONFIG GET: its evictions are still counted (INFO stats).
        }
    }

    void writeTo(Map<String, String> fields) {
        fields.put(
                FIELD,
                byRunId.entrySet().stream()
                        .map(server -> server.getKey() + "=" + server.getValue())
                        .collect(Collectors.joining(",")));
    }

    /** The reading kept in {@code fields}; null when they hold none (a mark of an older build). */
    static TargetEvictions from(Map<String, String> fields) {
        String kept = fields.get(FIELD);
        if (kept == null || kept.isEmpty()) {
            return null;
        }
        Map<String, Long> byRunId = new TreeMap<>();
        for (String server : kept.split(",")) {
            int equals = server.lastIndexOf('=');
            byRunId.put(server.substring(0, equals), Long.parseLong(server.substring(equals + 1)));
        }
        return new TargetEvictions(byRunId);
    }

    /**
     * Keys evicted since {@code earlier} by the servers that were there then (a server restarted since has other data,
     * which the target's dataset mark tells); 0 without an earlier reading.
     */
    long since(TargetEvictions earlier) {
        if (earlier == null) {
            return 0;
        }
        long evicted = 0;
        for (Map.Entry<String, Long> server : byRunId.entrySet()) {
            Long then = earlier.byRunId.get(server.getKey());
            if (then != null && server.getValue() > then) {
                evicted += server.getValue() - then;
            }
        }
        return evicted;
    }
}
