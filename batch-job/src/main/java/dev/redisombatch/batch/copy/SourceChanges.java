package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.ServerInfo;
import dev.redisombatch.batch.redis.SlotSet;
import dev.redisombatch.batch.redis.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * How many times the source has changed, as its servers count themselves: for each (the single server, or every
 * master of a cluster) {@code rdb_changes_since_last_save} (every write, expiry and eviction, in any database, since
 * its last RDB save), with its run_id and the time of that save. Two readings of the same processes and the same
 * saves tell how many changes came between them (the sum over the masters); a restart, a failover, a save, another
 * set of masters or slots moved between them (a reshard counts each key it moves as a change on both masters) in
 * between leaves it unknown. Each server's count of {@code FLUSHALL}, {@code FLUSHDB} and
 * {@code SWAPDB} calls ({@code INFO commandstats}) is kept beside it: a flush notifies nothing per key and its save may
 * leave the change count unknown, yet it drops keys a copy may already hold. Read only (INFO), so the source still gets
 * no write.
 */
record SourceChanges(List<Server> servers) {

    /**
     * One server's reading.
     *
     * @param flushes its flush commands' calls; -1 when not known (a reading kept by an older build)
     * @param slots the slots it owned, as {@link SlotSet#toString()} writes them; null when not known (an older
     *     build's reading)
     */
    record Server(String runId, long changes, String lastSave, long flushes, String slots) {}

    /** Commands that drop keys without a notification or a change count per key. */
    private static final List<String> FLUSHES = List.of("flushall", "flushdb", "swapdb");

    private static final String RUN_ID = "source_run_id";
    private static final String CHANGES = "source_changes";
    private static final String LAST_SAVE = "source_saved_at";
    private static final String FLUSH_CALLS = "source_flushes";
    private static final String SLOTS = "source_slots";

    SourceChanges {
        servers = servers.stream().sorted(Comparator.comparing(Server::runId)).toList();
    }

    static SourceChanges of(RedisEndpoint source) {
        Topology topology = source.call("read the source", commands -> source.topology());
        List<Server> servers = new ArrayList<>();
        for (Topology.Master master : topology.masters()) {
            servers.add(source.call("INFO of the source " + master.address(), commands -> {
                String persistence = source.infoOn(master.nodeId(), "persistence");
                return new Server(
                        ServerInfo.runId(source.infoOn(master.nodeId(), "server")),
                        Long.parseLong(ServerInfo.field(persistence, "rdb_changes_since_last_save")),
                        ServerInfo.field(persistence, "rdb_last_save_time"),
                        flushCalls(source.infoOn(master.nodeId(), "commandstats")),
                        SlotSet.of(master.slots()).toString());
            }));
        }
        return new SourceChanges(servers);
    }

    /**
     * Each field a comma-separated list, one entry per server in run_id order (one entry for a single server).
     *
     * @param prefix before each field's name: one hash keeps several readings
     */
    void writeTo(Map<String, String> fields, String prefix) {
        fields.put(prefix + RUN_ID, servers.stream().map(Server::runId).collect(Collectors.joining(",")));
        fields.put(
                prefix + CHANGES,
                servers.stream().map(server -> Long.toString(server.changes())).collect(Collectors.joining(",")));
        fields.put(prefix + LAST_SAVE, servers.stream().map(Server::lastSave).collect(Collectors.joining(",")));
        fields.put(
                prefix + FLUSH_CALLS,
                servers.stream().map(server -> Long.toString(server.flushes())).collect(Collectors.joining(",")));
        // A server's slots are ranges joined by commas: the servers' are joined by semicolons.
        fields.put(prefix + SLOTS, servers.stream().map(Server::slots).collect(Collectors.joining(";")));
    }

    /** How many times one server was flushed ({@link #FLUSHES}), from its {@code INFO commandstats}. */
    static long flushCalls(String commandStats) {
        long calls = 0;
        for (String command : FLUSHES) {
            calls += ServerInfo.calls(commandStats, command).orElse(0L);
        }
        return calls;
    }

    /** The reading kept in {@code fields} under {@code prefix}; null when they hold none. */
    static SourceChanges from(Map<String, String> fields, String prefix) {
        String runId = fields.get(prefix + RUN_ID);
        String changes = fields.get(prefix + CHANGES);
        String lastSave = fields.get(prefix + LAST_SAVE);
        if (runId == null || changes == null || lastSave == null) {
            return null;
        }
        String[] runIds = runId.split(",", -1);
        String[] counts = changes.split(",", -1);
        String[] saves = lastSave.split(",", -1);
        String flushCalls = fields.get(prefix + FLUSH_CALLS);
        String[] flushes = flushCalls == null ? null : flushCalls.split(",", -1);
        String slotLists = fields.get(prefix + SLOTS);
        String[] slots = slotLists == null ? null : slotLists.split(";", -1);
        if (runIds.length != counts.length
                || runIds.length != saves.length
                || (flushes != null && flushes.length != runIds.length)
                || (slots != null && slots.length != runIds.length)) {
            return null;
        }
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < runIds.length; i++) {
            servers.add(new Server(
                    runIds[i],
                    Long.parseLong(counts[i]),
                    saves[i],
                    flushes == null ? -1 : Long.parseLong(flushes[i]),
                    slots == null ? null : slots[i]));
        }
        return new SourceChanges(servers);
    }

    /**
     * The changes since {@code earlier}, summed over the servers; empty when they cannot be told (no reading, other
     * servers or processes, a save or slots moved between).
     */
    OptionalLong since(SourceChanges earlier) {
        if (earlier == null || earlier.servers.size() != servers.size()) {
            return OptionalLong.empty();
        }
        long sum = 0;
        for (int i = 0; i < servers.size(); i++) {
            Server now = servers.get(i);
            Server then = earlier.servers.get(i);
            if (!now.runId().equals(then.runId())
                    || !now.lastSave().equals(then.lastSave())
                    || now.changes() < then.changes()
                    || (now.slots() != null
                            && then.slots() != null
                            && !now.slots().equals(then.slots()))) {
                return OptionalLong.empty();
            }
            sum += now.changes() - then.changes();
        }
        return OptionalLong.of(sum);
    }

    /**
     * What says a server of {@code earlier}, still the same process, was flushed since, or may have been: its keys may
     * not be those it had then. Null when nothing does; a restarted server cannot be told (its counts began again),
     * nor one read by an older build. A flush of any of its databases counts: the statistics do not say which.
     */
    String flushedSince(SourceChanges earlier) {
        if (earlier == null) {
            return null;
        }
        for (Server then : earlier.servers) {
            for (Server now : servers) {
                if (!now.runId().equals(then.runId()) || then.flushes() < 0) {
                    continue;
                }
                if (now.flushes() > then.flushes()) {
                    return "was flushed (FLUSHALL, FLUSHDB or SWAPDB, in any of its databases)";
                }
                if (now.flushes() < then.flushes()) {
                    return "had its command statistics reset (CONFIG RESETSTAT), so whether it was flushed cannot be"
                            + " told";
                }
            }
        }
        return null;
    }
}
