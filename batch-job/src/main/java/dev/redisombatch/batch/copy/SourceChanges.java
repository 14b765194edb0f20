package dev.redisombatch.batch.copy;

import dev.redisombatch.batch.redis.RedisEndpoint;
import dev.redisombatch.batch.redis.ServerInfo;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How many times the source server has changed, as it counts itself: {@code rdb_changes_since_last_save} (every write,
 * expiry and eviction, in any database, since its last RDB save), with its run_id and the time of that save. Two
 * readings of the same process and the same save tell how many changes came between them; a restart or a save in
 * between leaves it unknown. Read only (INFO), so the source still gets no write.
 */
record SourceChanges(String runId, long changes, String lastSave) {

    private static final String RUN_ID = "source_run_id";
    private static final String CHANGES = "source_changes";
    private static final String LAST_SAVE = "source_saved_at";

    static SourceChanges of(RedisEndpoint source) {
        return source.call("INFO of the source", commands -> {
            String persistence = commands.info("persistence");
            return new SourceChanges(
                    ServerInfo.runId(commands.info("server")),
                    Long.parseLong(ServerInfo.field(persistence, "rdb_changes_since_last_save")),
                    ServerInfo.field(persistence, "rdb_last_save_time"));
        });
    }

    /** @param prefix before each field's name: one hash keeps several readings */
    void writeTo(Map<String, String> fields, String prefix) {
        fields.put(prefix + RUN_ID, runId);
        fields.put(prefix + CHANGES, Long.toString(changes));
        fields.put(prefix + LAST_SAVE, lastSave);
    }

    /** The reading kept in {@code fields} under {@code prefix}; null when they hold none. */
    static SourceChanges from(Map<String, String> fields, String prefix) {
        String runId = fields.get(prefix + RUN_ID);
        String changes = fields.get(prefix + CHANGES);
        String lastSave = fields.get(prefix + LAST_SAVE);
        if (runId == null || changes == null || lastSave == null) {
            return null;
        }
        return new SourceChanges(runId, Long.parseLong(changes), lastSave);
    }

    /** The changes since {@code earlier}; empty when they cannot be told (no reading, a restart, a save between). */
    OptionalLong since(SourceChanges earlier) {
        if (earlier == null
                || !runId.equals(earlier.runId)
                || !lastSave.equals(earlier.lastSave)
                || changes < earlier.changes) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(changes - earlier.changes);
    }
}
