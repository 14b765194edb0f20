package dev.redisombatch.batch.builtin;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Redis OM 1.0's {@code 001_datetime_fields_to_timestamps}, done as it intends: ISO-8601 datetime and date strings in
 * the chosen fields become Unix timestamps, so NUMERIC index fields can index them (RediSearch does not index a
 * document whose NUMERIC field holds an ISO string at all). Numeric values are already converted and left alone, a
 * blank value has nothing to convert, and anything else is an error for the failure mode to handle.
 */
public final class DatetimeFieldsToTimestamps implements DataMigration {

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

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Convert ISO-8601 datetime and date strings in " + fields + " to Unix timestamps (naive values in "
                + naiveZone + ")";
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
