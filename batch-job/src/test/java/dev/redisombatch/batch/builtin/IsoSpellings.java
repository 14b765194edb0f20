package dev.redisombatch.batch.builtin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * ISO values for the rollback tests, the same for the same index: Python's {@code isoformat()} of naive datetimes
 * (what Redis OM Python 0.x wrote for them) for six in ten, other spellings for the rest; and an independent reading
 * of any of them with java.time, naive values and dates in {@link #ZONE}.
 */
final class IsoSpellings {

    static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    private static final Pattern PYTHON_DATETIME =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final long FROM = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
    private static final long TO = Instant.parse("2030-01-01T00:00:00Z").getEpochSecond();

    private IsoSpellings() {}

    /** Datetime {@code i}: Python's spelling (with microseconds for half of those) when i % 10 < 6. */
    static String datetime(int i) {
        SplittableRandom random = new SplittableRandom(i);
        Instant instant = Instant.ofEpochSecond(random.nextLong(FROM, TO), random.nextInt(1, 1_000_000) * 1_000L);
        LocalDateTime local = LocalDateTime.ofInstant(instant, ZONE);
        return switch (i % 10) {
            case 0, 1, 2 -> local.format(SECONDS) + String.format(".%06d", local.getNano() / 1_000);
            case 3, 4, 5 -> local.format(SECONDS);
            case 6 -> instant.atOffset(ZoneOffset.UTC).format(SECONDS) + "Z";
            case 7 -> instant.atOffset(ZoneOffset.ofHours(2)).format(SECONDS) + ".250+02:00";
            case 8 -> local.format(SECONDS).replace('T', ' ');
            default -> local.toLocalDate().toString();
        };
    }

    /** Date {@code i}, as Python's {@code date.isoformat()} writes it. */
    static String date(int i) {
        return LocalDate.ofEpochDay(new SplittableRandom(-i).nextLong(-25_000, 20_000))
                .toString();
    }

    /** Whether a value is in the spelling rollback writes: datetime.isoformat(), or date.isoformat() for a date. */
    static boolean pythonSpelling(String value, boolean dateField) {
        return (dateField ? DATE : PYTHON_DATETIME).matcher(value).matches();
    }

    /** The instant a value stands for, read with java.time: naive values and dates in {@link #ZONE}. */
    static Instant instant(String value) {
        if (DATE.matcher(value).matches()) {
            return LocalDate.parse(value).atStartOfDay(ZONE).toInstant();
        }
        String iso = value.replace(' ', 'T');
        return iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:\\d\\d$")
                ? OffsetDateTime.parse(iso).toInstant()
                : LocalDateTime.parse(iso).atZone(ZONE).toInstant();
    }

    /**
     * Tallies restored values against the originals: byte for byte for those in Python's spelling, the same instant
     * (and Python's spelling) for the others.
     */
    static final class Comparison {
        long byteForByte;
        long notByteForByte;
        long sameInstant;
        long notSameInstant;
        final List<String> examples = new ArrayList<>();

        void compare(String where, String original, String restored, boolean dateField) {
            if (pythonSpelling(original, dateField)) {
                if (original.equals(restored)) {
                    byteForByte++;
                } else {
                    notByteForByte++;
                    example(where + ": " + original + " came back as " + restored);
                }
            } else if (restored != null
                    && pythonSpelling(restored, false)
                    && instant(restored).equals(instant(original))) {
                sameInstant++;
            } else {
                notSameInstant++;
                example(where + ": " + original + " came back as " + restored + ", another instant");
            }
        }

        private void example(String text) {
            if (examples.size() < 5) {
                examples.add(text);
            }
        }
    }
}
