package dev.redisombatch.batch.builtin;

import dev.redisombatch.batch.plan.ConfiguredMigration;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.Json;
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
 *
 * <p>Under its key patterns it migrates hashes ({@code HashModel}) and JSON documents ({@code JsonModel}) alike. In a
 * hash a field is a field name; in a JSON document it is a path, {@code created_at}, {@code address.since} or
 * {@code orders[*].created_at} for each element of a list, and the value becomes a JSON number, as Redis OM 1.x
 * writes it. JSON numbers and nulls are left alone.
 */
public final class DatetimeFieldsToTimestamps implements ConfiguredMigration {

    /** Redis OM's id, the default; {@code --datetime.id} gives a configuration an id of its own. */
    public static final String ID = "001_datetime_fields_to_timestamps";

    private final String id;
    private final KeySelector keys;
    private final Set<String> fields;
    private final ZoneId naiveZone;

    public DatetimeFieldsToTimestamps(List<String> keyPatterns, List<String> fields, ZoneId naiveZone) {
        this(ID, keyPatterns, fields, naiveZone);
    }

    public DatetimeFieldsToTimestamps(String id, List<String> keyPatterns, List<String> fields, ZoneId naiveZone) {
        this.id = id;
        this.keys = KeySelector.documents(keyPatterns.toArray(String[]::new));
        this.fields = Set.copyOf(new LinkedHashSet<>(fields));
        this.naiveZone = naiveZone;
        if (this.fields.isEmpty()) {
            throw new IllegalArgumentException("--datetime.fields names no field");
        }
    }

    /**
     * Rebuilds the migration {@code id} from the configuration kept in its applied record (or a run's parameters), if
     * that is one of this migration's.
     */
    public static Optional<DatetimeFieldsToTimestamps> fromConfiguration(String id, Map<String, String> configuration) {
        String keys = configuration.get("keys");
        String fields = configuration.get("fields");
        String zone = configuration.get("zone");
        if (keys == null || fields == null || zone == null) {
            return Optional.empty();
        }
        return Optional.of(new DatetimeFieldsToTimestamps(id, List.of(keys.split(",")), List.of(fields.split(",")),
                ZoneId.of(zone)));
    }

    @Override
    public Map<String, String> configuration() {
        return Map.of("keys", String.join(",", keys.patterns()), "fields", String.join(",", new TreeSet<>(fields)),
                "zone", naiveZone.getId());
    }

    @Override
    public String id() {
        return id;
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
        for (String pattern : fields) {
            for (String path : document.paths(pattern)) {
                String value = document.at(path).orElseThrow();
                Optional<String> text = document.isJson() ? jsonText(path, value) : Optional.of(value);
                String trimmed = text.map(String::trim).orElse("");
                if (trimmed.isEmpty() || IsoTimestamps.isNumeric(trimmed)) {
                    continue;
                }
                try {
                    change.set(path, IsoTimestamps.toUnixSeconds(trimmed, naiveZone));
                } catch (DateTimeException e) {
                    throw new DataMigrationException(path + " = '" + value + "' is neither an ISO-8601 datetime nor"
                            + " a date, nor a number", e);
                }
            }
        }
        return change.build();
    }

    /** The text of a JSON string; empty for a number or null, which need nothing; an error for anything else. */
    private static Optional<String> jsonText(String path, String value) {
        if (Json.isNumber(value) || value.equals("null")) {
            return Optional.empty();
        }
        return Optional.of(Json.unquote(value).orElseThrow(() -> new DataMigrationException(path + " = " + value
                + " is neither an ISO-8601 datetime or date string, nor a number")));
    }
}
