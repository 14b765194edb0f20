package dev.redisombatch.batch.plan;

import dev.redisombatch.batch.ops.DocumentCounts;
import dev.redisombatch.batch.state.RanBy;
import dev.redisombatch.migration.DataMigration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What we keep about one application of a data migration, in {@code redis-om-batch:applied:<id>} (a HASH).
 * docs/how-a-run-works.md defines each count. {@code how} is {@code applied} or {@code stamped}.
 */
public record AppliedRecord(
        String appliedAt,
        long durationMillis,
        DocumentCounts counts,
        int partitions,
        String ranBy,
        String description,
        String checksum,
        String how,
        long generation,
        Map<String, String> configuration) {

    /** Prefix of the fields that hold a {@link ConfiguredMigration}'s configuration. */
    public static final String CONFIGURATION_PREFIX = "config.";

    /** What {@code stamp} records: marked applied by hand, nothing run. */
    public static AppliedRecord stamped(DataMigration migration, long generation) {
        return new AppliedRecord(
                Instant.now().toString(),
                0,
                DocumentCounts.NONE,
                0,
                RanBy.describe(),
                migration.description(),
                MigrationChecksum.of(migration),
                "stamped",
                generation,
                ConfiguredMigration.of(migration));
    }

    public Map<String, String> asFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("applied_at", appliedAt);
        fields.put("duration_ms", Long.toString(durationMillis));
        fields.put("keys_read", Long.toString(counts.read()));
        fields.put("changed", Long.toString(counts.changed()));
        fields.put("unchanged", Long.toString(counts.unchanged()));
        fields.put("skipped", Long.toString(counts.skipped()));
        fields.put("conflict", Long.toString(counts.conflict()));
        fields.put("gone", Long.toString(counts.gone()));
        fields.put("reread", Long.toString(counts.reread()));
        fields.put("partitions", Integer.toString(partitions));
        fields.put("ran_by", ranBy);
        fields.put("description", description);
        fields.put("checksum", checksum);
        fields.put("how", how);
        fields.put("generation", Long.toString(generation));
        configuration.forEach((name, value) -> fields.put(CONFIGURATION_PREFIX + name, value));
        return fields;
    }

    /** Reads a record back; fields another version of the tool did not write read as 0 or empty. */
    public static AppliedRecord parse(Map<String, String> fields) {
        Map<String, String> configuration = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(CONFIGURATION_PREFIX)) {
                configuration.put(name.substring(CONFIGURATION_PREFIX.length()), value);
            }
        });
        DocumentCounts counts = new DocumentCounts(
                number(fields, "keys_read"),
                number(fields, "changed"),
                number(fields, "unchanged"),
                number(fields, "skipped"),
                number(fields, "conflict"),
                number(fields, "gone"),
                number(fields, "reread"));
        return new AppliedRecord(
                fields.getOrDefault("applied_at", ""),
                number(fields, "duration_ms"),
                counts,
                (int) number(fields, "partitions"),
                fields.getOrDefault("ran_by", ""),
                fields.getOrDefault("description", ""),
                fields.get("checksum"),
                fields.getOrDefault("how", "applied"),
                number(fields, "generation"),
                configuration);
    }

    private static long number(Map<String, String> fields, String name) {
        try {
            return Long.parseLong(fields.getOrDefault(name, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
