package dev.redisombatch.batch.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.settings.InvalidSettingException;
import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.Document;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The built-in's {@code down}: timestamps back to the ISO text Python's {@code isoformat()} writes, byte for byte for
 * values that were in that spelling, the same instant for the others, and nothing else touched.
 */
class DatetimeRollbackTest {

    private static final String KEY = ":app.models.User:01HF7YAT00ABCDEFGHJKMNPQRS";
    private static final DateTimeFormatter PYTHON_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private static DatetimeFieldsToTimestamps migration(String zone) {
        return new DatetimeFieldsToTimestamps(
                DatetimeFieldsToTimestamps.ID,
                List.of(":app.models.User:*"),
                List.of("created_at", "birth_date"),
                List.of("birth_date"),
                ZoneId.of(zone));
    }

    private static Document up(DatetimeFieldsToTimestamps migration, Document document) {
        return migration.up(document).applyTo(document);
    }

    private static Document down(DatetimeFieldsToTimestamps migration, Document document) {
        return migration.down().orElseThrow().apply(document).applyTo(document);
    }

    private static String downOf(String zone, String stored) {
        return down(migration(zone), Document.of(KEY, Map.of("created_at", stored)))
                .get("created_at")
                .orElseThrow();
    }

    /** Python's datetime.isoformat() of a naive datetime, written here from its definition. */
    private static String pythonIsoformat(LocalDateTime local) {
        int micro = local.getNano() / 1_000;
        return local.format(PYTHON_SECONDS) + (micro == 0 ? "" : String.format(".%06d", micro));
    }

    @ParameterizedTest(name = "in {0}")
    @ValueSource(strings = {"UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"})
    void upThenDownGivesBackEveryValueInPythonsSpellingByteForByte(String zone) {
        DatetimeFieldsToTimestamps migration = migration(zone);
        SplittableRandom random = new SplittableRandom(5);
        int compared = 0;
        int gaps = 0;
        for (int i = 0; i < 20_000; i++) {
            LocalDateTime local = LocalDateTime.ofEpochSecond(
                    random.nextLong(-2_000_000_000L, 4_000_000_000L),
                    random.nextInt(3) == 0 ? random.nextInt(1_000_000) * 1_000 : 0,
                    ZoneOffset.UTC);
            if (!local.atZone(ZoneId.of(zone)).toLocalDateTime().equals(local)) {
                gaps++; // a time the clocks skipped there: no timestamp gives it back (README says so)
                continue;
            }
            Document stored = Document.of(
                    KEY,
                    Map.of(
                            "created_at",
                            pythonIsoformat(local),
                            "birth_date",
                            local.toLocalDate().toString()));
            assertThat(down(migration, up(migration, stored)))
                    .as(stored.toString())
                    .isEqualTo(stored);
            compared++;
        }
        assertThat(compared).isGreaterThan(19_000);
        assertThat(gaps).isLessThan(100);
    }

    @ParameterizedTest(name = "{1} in {0} is {2}")
    @CsvSource({
        "UTC,          1705314600.0,          2024-01-15T10:30:00",
        "UTC,          1705314600,            2024-01-15T10:30:00",
        "Europe/Paris, 1705314600.0,          2024-01-15T11:30:00",
        "UTC,          1705314600.25,         2024-01-15T10:30:00.250000",
        "UTC,          1.70531460025e9,       2024-01-15T10:30:00.250000",
        "UTC,          1701441022.1234559,    2023-12-01T14:30:22.123456",
        "UTC,          1701441022.0000005,    2023-12-01T14:30:22",
        "UTC,          1701441022.0000015,    2023-12-01T14:30:22.000002",
        "UTC,          -0.5,                  1969-12-31T23:59:59.500000",
        "UTC,          1e-999999999,          1970-01-01T00:00:00",
        "UTC,          ' 1705314600.0 ',      2024-01-15T10:30:00",
        "UTC,          -62135596800.0,        0001-01-01T00:00:00",
        "UTC,          253402300799.999999,   9999-12-31T23:59:59.999999"
    })
    void writesDatetimeIsoformatInTheZoneRoundedToTheMicrosecond(String zone, String stored, String expected) {
        assertThat(downOf(zone, stored)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "2024-01-15T10:30:00Z",
                "2024-01-15T12:30:00+02:00",
                "2024-01-15 10:30:00",
                "2024-01-15T10:30Z",
                "2024-01-15T10:30:00.250Z",
                "2024-01-15T10:30:00.123456789Z"
            })
    void otherSpellingsComeBackAsTheSameInstantInPythonsSpelling(String original) {
        DatetimeFieldsToTimestamps migration = migration("UTC");
        Document stored = Document.of(KEY, Map.of("created_at", original));
        String restored =
                down(migration, up(migration, stored)).get("created_at").orElseThrow();

        assertThat(restored).isNotEqualTo(original).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?");
        Instant before = IsoTimestamps.readUsualLayout(original, ZoneOffset.UTC);
        Instant after = IsoTimestamps.readUsualLayout(restored, ZoneOffset.UTC);
        assertThat(after).isEqualTo(before.plusNanos(500).truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void aDateInADatetimeFieldComesBackAsMidnightAndADateFieldOffMidnightAsADatetime() {
        DatetimeFieldsToTimestamps migration = migration("Europe/Paris");
        Document stored = Document.of(KEY, Map.of("created_at", "2024-01-15", "birth_date", "2024-01-15T10:30:00"));

        assertThat(down(migration, up(migration, stored)).fields())
                .containsEntry("created_at", "2024-01-15T00:00:00")
                .containsEntry("birth_date", "2024-01-15T10:30:00");
    }

    @Test
    void aTimeTheClocksSkippedComesBackAsTheTimeItWasReadAs() {
        DatetimeFieldsToTimestamps migration = migration("Europe/Paris");
        Document stored = Document.of(KEY, Map.of("created_at", "2024-03-31T02:30:00"));

        assertThat(down(migration, up(migration, stored)).get("created_at")).contains("2024-03-31T03:30:00");
    }

    @Test
    void leavesIsoTextBlanksAndOtherFieldsAloneSoThatDownTwiceChangesNothingMore() {
        DatetimeFieldsToTimestamps migration = migration("UTC");
        Document stored = Document.of(
                KEY,
                Map.of(
                        "created_at",
                        "2024-01-15T10:30:00Z",
                        "birth_date",
                        " ",
                        "updated_at",
                        "1705314600.0",
                        "name",
                        "1705314600.0"));

        assertThat(migration.down().orElseThrow().apply(stored)).isEqualTo(Change.none());
        Document once = down(migration, Document.of(KEY, Map.of("created_at", "1705314600.0")));
        assertThat(migration.down().orElseThrow().apply(once)).isEqualTo(Change.none());
    }

    @Test
    void turnsJsonNumbersIntoJsonStringsAtEveryPathAndLeavesStringsAndNullsAlone() {
        DatetimeFieldsToTimestamps migration = new DatetimeFieldsToTimestamps(
                DatetimeFieldsToTimestamps.ID,
                List.of(":app.models.Customer:*"),
                List.of("created_at", "address.since", "orders[*].created_at"),
                List.of("address.since"),
                ZoneOffset.UTC);
        Document stored = Document.json(":app.models.Customer:1", """
                {"created_at":1705314600.25,"address":{"since":1705276800},"orders":[{"created_at":1705314600},\
                {"created_at":"2024-01-15T10:30:00"},{"created_at":null},{"total":3}],"name":"1705314600"}""");

        Document restored = down(migration, stored);

        assertThat(restored.at("created_at")).contains("\"2024-01-15T10:30:00.250000\"");
        assertThat(restored.at("address.since")).contains("\"2024-01-15\"");
        assertThat(restored.at("orders[0].created_at")).contains("\"2024-01-15T10:30:00\"");
        assertThat(restored.at("orders[1].created_at")).contains("\"2024-01-15T10:30:00\"");
        assertThat(restored.at("orders[2].created_at")).contains("null");
        assertThat(restored.at("name")).contains("\"1705314600\"");
        assertThat(migration.down().orElseThrow().apply(restored)).isEqualTo(Change.none());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"253402300800.0", "-62135596801.0", "1e300"})
    void aTimestampNoIsoDatetimeCanHoldIsADataErrorNamingTheFieldAndTheValue(String stored) {
        assertThatThrownBy(() -> downOf("UTC", stored))
                .isInstanceOf(DataMigrationException.class)
                .hasMessageStartingWith("created_at = " + stored + ": ");
    }

    @Test
    void dateFieldsAreKeptInTheConfigurationOnlyWhenNamed() {
        DatetimeFieldsToTimestamps withDates = migration("UTC");
        assertThat(withDates.configuration()).containsEntry("dates", "birth_date");
        assertThat(DatetimeFieldsToTimestamps.fromConfiguration(withDates.id(), withDates.configuration())
                        .orElseThrow()
                        .configuration())
                .isEqualTo(withDates.configuration());
        assertThat(new DatetimeFieldsToTimestamps(List.of(":a:*"), List.of("created_at"), ZoneOffset.UTC)
                        .configuration())
                .doesNotContainKey("dates");
    }

    @Test
    void itsDownReversesAnUpAppliedWithOtherDateFieldsButNotWithAnotherZoneOrOtherFields() {
        DatetimeFieldsToTimestamps now = migration("UTC");
        Map<String, String> withoutDates = new DatetimeFieldsToTimestamps(
                        List.of(":app.models.User:*"), List.of("birth_date", "created_at"), ZoneId.of("UTC"))
                .configuration();

        assertThat(now.notTheReverseOf(withoutDates)).isEmpty();
        assertThat(now.notTheReverseOf(Map.of())).isEmpty();
        assertThat(now.notTheReverseOf(migration("Europe/Paris").configuration()))
                .get()
                .asString()
                .contains("zone=Europe/Paris")
                .contains("zone=UTC");
        assertThat(migration("UTC")
                        .notTheReverseOf(new DatetimeFieldsToTimestamps(
                                        List.of(":app.models.User:*"), List.of("created_at"), ZoneId.of("UTC"))
                                .configuration()))
                .isPresent();
    }

    @Test
    void aDateFieldMustBeOneOfTheFields() {
        assertThatThrownBy(() -> new DatetimeSettings(
                        List.of(":a:*"), List.of("created_at"), List.of("born"), "UTC", DatetimeFieldsToTimestamps.ID))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("datetime.dates: [born] not in --datetime.fields: a date field is one of the fields"
                        + " converted");
    }
}
