package dev.redisombatch.batch.builtin;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Turns ISO-8601 datetimes and dates into Unix timestamps written as Redis OM Python writes them ({@code str(float)}:
 * "1700000000.0", "1700000000.25"). A value with an offset or Z is exact; a naive one is read in the given zone, and
 * a date is midnight there (Redis OM used the migrating machine's zone, which made results depend on the host).
 */
final class IsoTimestamps {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern HAS_OFFSET = Pattern.compile("(Z|[+-]\\d\\d(:?\\d\\d)?)$");
    private static final Pattern DATE_SPACE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d.*");

    private IsoTimestamps() {
    }

    static boolean isNumeric(String value) {
        return NUMBER.matcher(value).matches();
    }

    /** @throws DateTimeParseException when the value is neither an ISO-8601 datetime nor a date */
    static String toUnixSeconds(String value, ZoneId naiveZone) {
        String iso = DATE_SPACE_TIME.matcher(value).matches() ? value.replaceFirst(" ", "T") : value;
        Instant instant;
        if (iso.indexOf('T') < 0) {
            instant = LocalDate.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay(naiveZone).toInstant();
        } else {
            // The shape tells which of the two parsers applies; parseBest would try one, then the other.
            instant = HAS_OFFSET.matcher(iso).find()
                    ? OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    : LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(naiveZone).toInstant();
        }
        return pythonFloatText(instant);
    }

    private static String pythonFloatText(Instant instant) {
        BigDecimal seconds = BigDecimal.valueOf(instant.getEpochSecond())
                .add(BigDecimal.valueOf(instant.getNano(), 9))
                .stripTrailingZeros();
        String text = seconds.toPlainString();
        return text.contains(".") ? text : text + ".0";
    }
}
