package dev.redisombatch.batch.builtin;

import dev.redisombatch.batch.plan.ConfiguredMigration;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Redis OM 1.0's {@code 001_datetime_fields_to_timestamps}, done as it intends: ISO-8601 datetime and date strings in
 * the chosen fields become Unix timestamps, so NUMERIC index fields can index them (RediSearch does not index a
 * document whose NUMERIC field holds an ISO string at all). Numeric values are already converted and left alone, a
 * blank value has nothing to convert, and anything else is an error for the failure mode to handle.
 */
public final class DatetimeFieldsToTimestamps implements ConfiguredMigration {

    public static final String ID = "001_datetime_fields_to_timestamps";

    private final KeySelector keys;
    private final Set<String> fields;
    private final ZoneId naiveZone;

    public DatetimeFieldsToTimestamps(List<String> keyPatterns, List<String> fields, ZoneId naiveZone) {
        this.keys = new KeySelector(keyPatterns, dev.redisombatch.migration.RedisType.HASH);
        this.fields = Set.copyOf(new LinkedHashSet<>(fields));
        this.naiveZone = naiveZone;
        if (this.fields.isEmpty()) {
            throw new IllegalArgumentException("--datetime.fields names no field");
        }
    }

    /** Rebuilds the migration from the configuration kept in its applied record, if there is one. */
    public static Optional<DatetimeFieldsToTimestamps> fromConfiguration(Map<String, String> configuration) {
        String keys = configuration.get("keys");
        String fields = configuration.get("fields");
        String zone = configuration.get("zone");
        if (keys == null || fields == null || zone == null) {
            return Optional.empty();
        }
        return Optional.of(new DatetimeFieldsToTimestamps(List.of(keys.split(",")), List.of(fields.split(",")),
                ZoneId.of(zone)));
    }

    @Override
    public Map<String, String> configuration() {
        return Map.of("keys", String.join(",", keys.patterns()), "fields", String.join(",", new TreeSet<>(fields)),
                "zone", naiveZone.getId());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        // Sorted: a Set's iteration order changes from one JVM to the next, and the description is part of the
        // checksum that verify compares.
        return "Convert ISO-8601 datetime and date strings in " + new TreeSet<>(fields)
                + " to Unix timestamps (naive values in " + naiveZone + ")";
    }

    @Override
    public KeySelector keys() {
        return keys;
    }

    @Override
    public Set<String> fieldsRead() {
        return fields;
    }

    @Override
    public Change up(Document document) {
        Change.Builder change = Change.builder();
        document.fields().forEach((field, value) -> {
            String trimmed = value.trim();
            if (!fields.contains(field) || trimmed.isEmpty() || IsoTimestamps.isNumeric(trimmed)) {
                return;
            }
            try {
                change.set(field, IsoTimestamps.toUnixSeconds(trimmed, naiveZone));
            } catch (DateTimeException e) {
                throw new DataMigrationException(field + " = '" + value + "' is neither an ISO-8601 datetime nor a"
                        + " date, nor a number", e);
            }
        });
        return change.build();
    }
}
