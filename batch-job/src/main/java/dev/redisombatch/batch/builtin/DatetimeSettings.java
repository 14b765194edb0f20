package dev.redisombatch.batch.builtin;

import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/** The options that switch on and configure the built-in {@code 001_datetime_fields_to_timestamps}. */
public record DatetimeSettings(
        @Name("datetime.keys")
        @DefaultValue
        @Help(
                value = "Switches on 001_datetime_fields_to_timestamps for keys matching these patterns"
                        + " (comma-separated).",
                placeholder = "PATTERN,...")
        List<String> keys,

        @Name("datetime.fields")
        @DefaultValue
        @Help(value = "The fields it converts (comma-separated); goes with --datetime.keys.", placeholder = "FIELD,...")
        List<String> fields,

        @Name("datetime.dates")
        @DefaultValue
        @Help(
                value = "Those of --datetime.fields that hold dates, not datetimes: rollback writes them back as"
                        + " yyyy-MM-dd.",
                placeholder = "FIELD,...")
        List<String> dates,

        @Name("datetime.zone")
        @DefaultValue(DatetimeSettings.DEFAULT_ZONE)
        @Help(value = "Zone of naive datetimes and dates.", placeholder = "ZONE")
        String zone,

        @Name("datetime.id")
        @DefaultValue(DatetimeSettings.DEFAULT_ID)
        @Help(
                value = "The id this configuration of the built-in is applied under (Redis OM's by default): another id"
                        + " for other keys or fields, once one configuration is applied.",
                placeholder = "ID")
        String id) {

    public static final String DEFAULT_ZONE = "UTC";
    public static final String DEFAULT_ID = DatetimeFieldsToTimestamps.ID;

    public DatetimeSettings {
        keys = keys.stream().filter(key -> !key.isBlank()).toList();
        fields = fields.stream().filter(field -> !field.isBlank()).toList();
        if (keys.isEmpty() != fields.isEmpty()) {
            throw new InvalidSettingException(
                    keys.isEmpty() ? "datetime.keys" : "datetime.fields",
                    "--datetime.keys and --datetime.fields go together: give both, each naming at least one");
        }
        dates = dates.stream().filter(field -> !field.isBlank()).toList();
        List<String> converted = fields;
        List<String> notFields =
                dates.stream().filter(field -> !converted.contains(field)).toList();
        if (!notFields.isEmpty()) {
            throw new InvalidSettingException(
                    "datetime.dates",
                    notFields + " not in --datetime.fields: a date field" + " is one of the fields converted");
        }
        zoneId(zone);
        if (id.isBlank() || !id.equals(id.strip()) || id.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidSettingException("datetime.id", "'" + id + "': an id has no white space");
        }
    }

    public static DatetimeSettings none() {
        return new DatetimeSettings(List.of(), List.of(), List.of(), DEFAULT_ZONE, DEFAULT_ID);
    }

    /** The built-in as these options configure it; empty when they do not switch it on. */
    public Optional<DatetimeFieldsToTimestamps> migration() {
        return keys.isEmpty()
                ? Optional.empty()
                : Optional.of(new DatetimeFieldsToTimestamps(id, keys, fields, dates, zoneId(zone)));
    }

    private static ZoneId zoneId(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new InvalidSettingException("datetime.zone", zone + ": not a time zone (e.g. UTC, Europe/Paris)");
        }
    }
}
