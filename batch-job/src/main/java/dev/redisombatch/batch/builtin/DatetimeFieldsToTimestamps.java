package dev.redisombatch.batch.builtin;

import dev.redisombatch.batch.plan.ConfiguredMigration;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.Json;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.Transform;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
    /** The fields that hold dates, which {@code down} writes as {@code yyyy-MM-dd}; a subset of {@link #fields}. */
    private final Set<String> dates;

    private final ZoneId naiveZone;

    public DatetimeFieldsToTimestamps(List<String> keyPatterns, List<String> fields, ZoneId naiveZone) {
        this(ID, keyPatterns, fields, List.of(), naiveZone);
    }

    public DatetimeFieldsToTimestamps(
            String id, List<String> keyPatterns, List<String> fields, List<String> dates, ZoneId naiveZone) {
        this.id = id;
        this.keys = KeySelector.documents(keyPatterns.toArray(String[]::new));
        this.fields = Set.copyOf(new LinkedHashSet<>(fields));
        this.dates = Set.copyOf(new LinkedHashSet<>(dates));
        this.naiveZone = naiveZone;
        if (this.fields.isEmpty()) {
            throw new IllegalArgumentException("--datetime.fields names no field");
        }
        if (!this.fields.containsAll(this.dates)) {
            throw new IllegalArgumentException("--datetime.dates names fields not in --datetime.fields");
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
        String dates = configuration.get("dates");
        return Optional.of(new DatetimeFieldsToTimestamps(
                id,
                List.of(keys.split(",")),
                List.of(fields.split(",")),
                dates == null ? List.of() : List.of(dates.split(",")),
                ZoneId.of(zone)));
    }

    /** The options, by name; {@code dates} only when some are named, so records made before it existed still match. */
    @Override
    public Map<String, String> configuration() {
        Map<String, String> configuration = new HashMap<>(Map.of(
                "keys",
                String.join(",", keys.patterns()),
                "fields",
                String.join(",", new TreeSet<>(fields)),
                "zone",
                naiveZone.getId()));
        if (!dates.isEmpty()) {
            configuration.put("dates", String.join(",", new TreeSet<>(dates)));
        }
        return Map.copyOf(configuration);
    }

    /**
     * Why {@link #down()} as configured now would not reverse the {@code up} that was applied with {@code recorded}:
     * other keys, fields or zone; empty when it would. The date fields may differ, since {@code up} does not use
     * them: a configuration applied without {@code --datetime.dates} is rolled back with it.
     */
    public Optional<String> notTheReverseOf(Map<String, String> recorded) {
        Map<String, String> now = new TreeMap<>(configuration());
        Map<String, String> then = new TreeMap<>(recorded);
        now.remove("dates");
        then.remove("dates");
        return recorded.isEmpty() || now.equals(then)
                ? Optional.empty()
                : Optional.of("applied with " + then + ", configured " + now + " now");
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
                + " to Unix timestamps (naive values in " + naiveZone + ")"
                + (dates.isEmpty() ? "" : "; dates: " + new TreeSet<>(dates));
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
                    throw new DataMigrationException(
                            path + " = '" + value + "' is neither an ISO-8601 datetime nor" + " a date, nor a number",
                            e);
                }
            }
        }
        return change.build();
    }

    /** Timestamps back to ISO text ({@link #toIsoText}). */
    @Override
    public Optional<Transform> down() {
        return Optional.of(this::toIsoText);
    }

    /**
     * The reverse of {@link #up}: each numeric value becomes the ISO text of {@link IsoTimestamps#toIsoText}, in
     * the zone, a JSON string in a JSON document. Anything else (ISO text, a blank, a JSON string or null) is left
     * alone, so rolling back twice changes nothing more; Redis OM Python's rollback, by contrast, finds no number
     * in a hash (every value is a string) and leaves hashes as they are.
     */
    Change toIsoText(Document document) {
        Change.Builder change = Change.builder();
        for (String pattern : fields) {
            boolean dateField = dates.contains(pattern);
            for (String path : document.paths(pattern)) {
                String value = document.at(path).orElseThrow();
                boolean isTimestamp = document.isJson() ? Json.isNumber(value) : IsoTimestamps.isNumeric(value.strip());
                if (!isTimestamp) {
                    continue;
                }
                try {
                    String iso = IsoTimestamps.toIsoText(value, naiveZone, dateField);
                    change.set(path, document.isJson() ? Json.quote(iso) : iso);
                } catch (DateTimeException e) {
                    throw new DataMigrationException(path + " = " + value + ": " + e.getMessage(), e);
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
        return Optional.of(Json.unquote(value)
                .orElseThrow(() -> new DataMigrationException(
                        path + " = " + value + " is neither an ISO-8601 datetime or date string, nor a number")));
    }
}
