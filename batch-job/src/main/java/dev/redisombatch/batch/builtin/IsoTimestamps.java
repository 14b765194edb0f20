package dev.redisombatch.batch.builtin;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Turns ISO-8601 datetimes and dates into Unix timestamps written as Redis OM Python writes them ({@code str(float)}:
 * "1700000000.0", "1700000000.25"). A value with an offset or Z is exact; a naive one is read in the given zone, and
 * a date is midnight there (Redis OM used the migrating machine's zone, which made results depend on the host).
 * {@link #toIsoText} goes back, as Redis OM Python's rollback does ({@code datetime.fromtimestamp(v).isoformat()}).
 *
 * <p>This runs once per document, so the usual layouts are read by hand (java.time's formatters cost several times
 * more); anything else goes through java.time's ISO parsers, which also produce the error for what is not ISO.
 */
final class IsoTimestamps {

    private static final Pattern HAS_OFFSET = Pattern.compile("(Z|[+-]\\d\\d(:?\\d\\d)?)$");
    private static final Pattern DATE_SPACE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d.*");
    private static final int[] NANOS_PER_DIGIT = {
        0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
    };

    private IsoTimestamps() {}

    /** A decimal number, optionally signed, with an optional fraction and exponent: already a timestamp. */
    static boolean isNumeric(String value) {
        int i = 0;
        int n = value.length();
        if (i < n && (value.charAt(i) == '+' || value.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(value.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && value.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(value.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (value.charAt(i) == 'e' || value.charAt(i) == 'E')) {
            i++;
            if (i < n && (value.charAt(i) == '+' || value.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && isDigit(value.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** @throws DateTimeException when the value is neither an ISO-8601 datetime nor a date */
    static String toUnixSeconds(String value, ZoneId naiveZone) {
        Instant instant = readUsualLayout(value, naiveZone);
        return pythonFloatText(instant != null ? instant : readAnyIso(value, naiveZone));
    }

    /** yyyy-MM-dd, or yyyy-MM-dd[T ]HH:mm[:ss[.fraction]][Z|+hh[:mm]]; null for any other layout. */
    static Instant readUsualLayout(String s, ZoneId naiveZone) {
        int n = s.length();
        if (n < 10
                || !digits(s, 0, 4)
                || s.charAt(4) != '-'
                || !digits(s, 5, 2)
                || s.charAt(7) != '-'
                || !digits(s, 8, 2)) {
            return null;
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        if (n == 10) {
            return LocalDate.of(year, month, day).atStartOfDay(naiveZone).toInstant();
        }
        if ((s.charAt(10) != 'T' && s.charAt(10) != ' ')
                || n < 16
                || !digits(s, 11, 2)
                || s.charAt(13) != ':'
                || !digits(s, 14, 2)) {
            return null;
        }
        int second = 0;
        int nano = 0;
        int i = 16;
        if (i < n && s.charAt(i) == ':') {
            if (i + 3 > n || !digits(s, i + 1, 2)) {
                return null;
            }
            second = number(s, i + 1, 2);
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                int start = ++i;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
                int length = i - start;
                if (length == 0 || length > 9) {
                    return null;
                }
                nano = number(s, start, length) * NANOS_PER_DIGIT[length];
            }
        }
        LocalDateTime local = LocalDateTime.of(year, month, day, number(s, 11, 2), number(s, 14, 2), second, nano);
        if (i == n) {
            return local.atZone(naiveZone).toInstant();
        }
        String offset = s.substring(i);
        if (offset.equals("Z")) {
            return local.toInstant(ZoneOffset.UTC);
        }
        if (!HAS_OFFSET.matcher(offset).matches()) {
            return null;
        }
        return local.toInstant(ZoneOffset.of(offset));
    }

    /**
     * The text Python's {@code datetime.isoformat()} gives a timestamp read as a naive datetime in {@code zone}:
     * {@code yyyy-MM-ddTHH:mm:ss}, then {@code .ffffff} unless the microseconds are zero; for a date field at the
     * start of a day, {@code date.isoformat()}'s {@code yyyy-MM-dd}. Rounded to the microsecond, half to even, as
     * {@code datetime.fromtimestamp} rounds: a datetime holds no finer time, and RedisJSON 1.x prints a stored
     * double with 17 digits (1701441022.1234560 may come back as ...1234559).
     *
     * @throws DateTimeException when the value falls outside Python's datetimes (years 1 to 9999 in that zone)
     */
    static String toIsoText(String seconds, ZoneId zone, boolean dateField) {
        BigDecimal exact = new BigDecimal(seconds.strip());
        // Digits before the point, from the exponent alone: the scale of "1e-999999999" is not to be expanded.
        int integerDigits = exact.precision() - exact.scale();
        if (integerDigits > 12) {
            throw new DateTimeException(seconds + " seconds is beyond the year 9999");
        }
        BigDecimal micros = integerDigits < -6 ? BigDecimal.ZERO : exact.setScale(6, RoundingMode.HALF_EVEN);
        long epochSecond = micros.setScale(0, RoundingMode.FLOOR).longValueExact();
        int micro = micros.subtract(BigDecimal.valueOf(epochSecond))
                .movePointRight(6)
                .intValueExact();
        LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochSecond(epochSecond, micro * 1_000L), zone);
        if (local.getYear() < 1 || local.getYear() > 9999) {
            throw new DateTimeException(seconds + " seconds is year " + local.getYear() + " in " + zone
                    + ", outside the years 1 to 9999 of an ISO datetime");
        }
        StringBuilder text = new StringBuilder(26);
        padded(text, local.getYear(), 4).append('-');
        padded(text, local.getMonthValue(), 2).append('-');
        padded(text, local.getDayOfMonth(), 2);
        // The start of the day, as up reads a date: midnight, or the first time after it where clocks skipped it.
        if (dateField
                && local.toLocalDate().atStartOfDay(zone).toLocalDateTime().equals(local)) {
            return text.toString();
        }
        padded(text.append('T'), local.getHour(), 2).append(':');
        padded(text, local.getMinute(), 2).append(':');
        padded(text, local.getSecond(), 2);
        if (micro != 0) {
            padded(text.append('.'), micro, 6);
        }
        return text.toString();
    }

    private static StringBuilder padded(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        return text.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
    }

    private static Instant readAnyIso(String value, ZoneId naiveZone) {
        String iso = DATE_SPACE_TIME.matcher(value).matches() ? value.replaceFirst(" ", "T") : value;
        if (iso.indexOf('T') < 0) {
            return LocalDate.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE)
                    .atStartOfDay(naiveZone)
                    .toInstant();
        }
        return HAS_OFFSET.matcher(iso).find()
                ? OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant()
                : LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                        .atZone(naiveZone)
                        .toInstant();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean digits(String s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int number(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + (s.charAt(i) - '0');
        }
        return value;
    }

    /**
     * The instant's seconds since the epoch as an exact decimal, the fraction's trailing zeros dropped and ".0" for
     * none: "1700000000.25", "-0.5". Written from the two longs, as this runs once per document.
     */
    static String pythonFloatText(Instant instant) {
        long seconds = instant.getEpochSecond();
        int nanos = instant.getNano();
        StringBuilder text = new StringBuilder(32);
        if (seconds < 0 && nanos > 0) {
            // An Instant before the epoch counts its nanoseconds forward from the second before: -2 s + 0.5 s is -1.5.
            text.append('-').append(-(seconds + 1));
            nanos = 1_000_000_000 - nanos;
        } else {
            text.append(seconds);
        }
        text.append('.');
        if (nanos == 0) {
            return text.append('0').toString();
        }
        int width = 9;
        while (nanos % 10 == 0) {
            nanos /= 10;
            width--;
        }
        String digits = Integer.toString(nanos);
        return text.append("0".repeat(width - digits.length())).append(digits).toString();
    }
}
