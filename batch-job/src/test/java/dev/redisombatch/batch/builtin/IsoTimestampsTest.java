package dev.redisombatch.batch.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written reader of the usual layouts agrees with java.time's ISO parsers. */
class IsoTimestampsTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void agreesWithJavaTimeOnRandomDatetimesInEveryLayout() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            LocalDateTime local = LocalDateTime.ofEpochSecond(
                    random.nextLong(-2_000_000_000L, 4_000_000_000L),
                    random.nextInt(4) == 0 ? random.nextInt(1_000_000_000) : 0,
                    ZoneOffset.UTC);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-17, 18) * 3600 + random.nextInt(4) * 900);
            String naive = local.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            String withOffset = OffsetDateTime.of(local, offset).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            assertThat(IsoTimestamps.readUsualLayout(naive, PARIS))
                    .as(naive)
                    .isEqualTo(LocalDateTime.parse(naive).atZone(PARIS).toInstant());
            assertThat(IsoTimestamps.readUsualLayout(withOffset, PARIS))
                    .as(withOffset)
                    .isEqualTo(OffsetDateTime.parse(withOffset).toInstant());
            String date = local.toLocalDate().toString();
            assertThat(IsoTimestamps.readUsualLayout(date, PARIS))
                    .as(date)
                    .isEqualTo(local.toLocalDate().atStartOfDay(PARIS).toInstant());
        }
    }

    @Test
    void readsTheSpaceSeparatedAndCompactOffsetFormsPythonWrites() {
        Instant expected = Instant.parse("2024-01-15T08:30:00Z");
        assertThat(IsoTimestamps.readUsualLayout("2024-01-15 10:30:00+02:00", PARIS))
                .isEqualTo(expected);
        assertThat(IsoTimestamps.readUsualLayout("2024-01-15T10:30:00+0200", PARIS))
                .isEqualTo(expected);
        assertThat(IsoTimestamps.readUsualLayout("2024-01-15T10:30+02", PARIS)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2024-01-15T10:30:00.Z",
                "2024-01-15T10:30:00.1234567890Z",
                "2024-01-15T10:30:00 UTC",
                "2024-01-15T10",
                "15/01/2024",
                "2024-1-15"
            })
    void leavesOtherLayoutsToJavaTime(String value) {
        assertThat(IsoTimestamps.readUsualLayout(value, PARIS)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1705314600", "1705314600.0", "-12.5", "+3", ".5", "1e9", "1.5E+3"})
    void numbersAreNumeric(String value) {
        assertThat(IsoTimestamps.isNumeric(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", ".", "1e", "2024-01-15", "12a", "1.2.3", " 1"})
    void otherTextIsNot(String value) {
        assertThat(IsoTimestamps.isNumeric(value)).isFalse();
    }

    @Test
    void writesTheExactDecimalOfSecondsAndNanosecondsOnEitherSideOfTheEpoch() {
        assertThat(IsoTimestamps.pythonFloatText(Instant.ofEpochSecond(1_700_000_000)))
                .isEqualTo("1700000000.0");
        assertThat(IsoTimestamps.pythonFloatText(Instant.ofEpochSecond(1_700_000_000, 250_000_000)))
                .isEqualTo("1700000000.25");
        assertThat(IsoTimestamps.pythonFloatText(Instant.ofEpochSecond(-2, 500_000_000)))
                .isEqualTo("-1.5");
        assertThat(IsoTimestamps.pythonFloatText(Instant.ofEpochSecond(-1, 999_999_999)))
                .isEqualTo("-0.000000001");
        assertThat(IsoTimestamps.pythonFloatText(Instant.ofEpochSecond(0, 10))).isEqualTo("0.00000001");
        assertThat(IsoTimestamps.pythonFloatText(Instant.EPOCH)).isEqualTo("0.0");
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-70_000_000_000L, 260_000_000_000L);
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            BigDecimal exact = BigDecimal.valueOf(seconds)
                    .add(BigDecimal.valueOf(nanos, 9))
                    .stripTrailingZeros();
            String expected = exact.scale() > 0 ? exact.toPlainString() : exact.toPlainString() + ".0";
            assertThat(IsoTimestamps.pythonFloatText(Instant.ofEpochSecond(seconds, nanos)))
                    .as("%d s %d ns", seconds, nanos)
                    .isEqualTo(expected);
        }
    }
}
