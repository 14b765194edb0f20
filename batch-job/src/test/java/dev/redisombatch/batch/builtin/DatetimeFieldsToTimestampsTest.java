package dev.redisombatch.batch.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.MigrationTester;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatetimeFieldsToTimestampsTest {

    private static final String PARIS = "Europe/Paris";

    private static DatetimeFieldsToTimestamps migration(String zone) {
        return new DatetimeFieldsToTimestamps(
                List.of(":app.models.User:*"), List.of("created_at", "updated_at"), ZoneId.of(zone));
    }

    private static MigrationTester tester(String zone) {
        return MigrationTester.of(migration(zone));
    }

    private static Document user(Map<String, String> fields) {
        return Document.of(":app.models.User:01HF7YAT00ABCDEFGHJKMNPQRS", fields);
    }

    /** Redis OM Python's str(float) of a whole number of seconds. */
    private static String seconds(Instant instant) {
        assertEquals(0, instant.getNano());
        return instant.getEpochSecond() + ".0";
    }

    @Test
    void convertsAKnownDatetime() {
        assertEquals(1705314600L, Instant.parse("2024-01-15T10:30:00Z").getEpochSecond());
        tester("UTC")
                .assertMigrates(
                        user(Map.of("created_at", "2024-01-15T10:30:00Z")), Map.of("created_at", "1705314600.0"));
        tester(PARIS)
                .assertMigrates(
                        user(Map.of("created_at", "2024-01-15T10:30:00+02:00")), Map.of("created_at", "1705307400.0"));
    }

    @ParameterizedTest(name = "{0} read in {1} is {2}")
    @CsvSource({
        "2024-01-15T10:30:00Z,         UTC,           2024-01-15T10:30:00Z",
        "2024-01-15T10:30:00Z,         Europe/Paris,  2024-01-15T10:30:00Z",
        "2024-01-15T10:30:00+02:00,    UTC,           2024-01-15T08:30:00Z",
        "2024-01-15T10:30:00-05:00,    Europe/Paris,  2024-01-15T15:30:00Z",
        "2024-01-15T10:30Z,            UTC,           2024-01-15T10:30:00Z",
        "2024-01-15T10:30:00,          UTC,           2024-01-15T10:30:00Z",
        "2024-01-15T10:30:00,          Europe/Paris,  2024-01-15T09:30:00Z",
        "2024-07-15T10:30:00,          Europe/Paris,  2024-07-15T08:30:00Z",
        "2024-01-15T10:30:00,          Asia/Kolkata,  2024-01-15T05:00:00Z",
        "2024-01-15,                   UTC,           2024-01-15T00:00:00Z",
        "2024-01-15,                   Europe/Paris,  2024-01-14T23:00:00Z",
        "2024-01-15 10:30:00,          UTC,           2024-01-15T10:30:00Z",
        "2024-01-15 10:30:00+02:00,    UTC,           2024-01-15T08:30:00Z",
        "'  2024-01-15T10:30:00Z  ',   UTC,           2024-01-15T10:30:00Z",
        "1969-12-31T23:59:59Z,         UTC,           1969-12-31T23:59:59Z",
    })
    void convertsDatetimesAndDatesToUnixSeconds(String value, String zone, Instant expected) {
        tester(zone).assertMigrates(user(Map.of("created_at", value)), Map.of("created_at", seconds(expected)));
    }

    @Test
    void aNaiveDatetimeIsReadInTheGivenZone() {
        Document naive = user(Map.of("created_at", "2024-01-15T10:30:00"));
        double utc = Double.parseDouble(tester("UTC").migrate(naive).fields().get("created_at"));
        double paris = Double.parseDouble(tester(PARIS).migrate(naive).fields().get("created_at"));
        Duration parisOffset = Duration.ofSeconds(ZoneId.of(PARIS)
                .getRules()
                .getOffset(Instant.parse("2024-01-15T10:30:00Z"))
                .getTotalSeconds());
        assertNotEquals(Duration.ZERO, parisOffset);
        assertEquals(parisOffset.toSeconds(), utc - paris);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2024-01-15T10:30:00.25Z,        1705314600.25",
        "2024-01-15T10:30:00.5+02:00,    1705307400.5",
        "2024-01-15T10:30:00.123456Z,    1705314600.123456",
        "2024-01-15 10:30:00.100,        1705314600.1",
        "1969-12-31T23:59:59.75Z,        -0.25",
    })
    void keepsFractionalSeconds(String value, String expected) {
        tester("UTC").assertMigrates(user(Map.of("updated_at", value)), Map.of("updated_at", expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1705314600.0", "1705314600", "1705314600.25", "-0.25", "0", "", "   "})
    void leavesNumbersAndBlanksAlone(String value) {
        tester("UTC").assertUnchanged(user(Map.of("created_at", value)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-13-45", "15/01/2024", "2024-01-15T25:00:00Z", "Tuesday"})
    void rejectsAnythingElseNamingTheFieldAndTheValue(String value) {
        DataMigrationException e = tester("UTC").assertRejects(user(Map.of("updated_at", value)));
        assertTrue(e.getMessage().contains("updated_at"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + value + "'"), e.getMessage());
    }

    @Test
    void readsAndTouchesOnlyItsFields() {
        DatetimeFieldsToTimestamps migration = migration("UTC");
        assertEquals(Set.of("created_at", "updated_at"), migration.fieldsRead());
        Document stored = user(Map.of(
                "created_at",
                "2024-01-15",
                "updated_at",
                "1705314600.0",
                "birthday",
                "1990-05-01",
                "note",
                "yesterday"));
        MigrationTester.of(migration)
                .assertMigrates(
                        stored,
                        Map.of(
                                "created_at",
                                "1705276800.0",
                                "updated_at",
                                "1705314600.0",
                                "birthday",
                                "1990-05-01",
                                "note",
                                "yesterday"));
        // Even handed every field, the transform ignores the ones it was not given.
        assertEquals(Set.of("created_at"), migration.up(stored).fieldsToSet().keySet());
    }

    @Test
    void isIdempotent() {
        for (String zone : List.of("UTC", PARIS, "America/New_York")) {
            tester(zone)
                    .assertIdempotent(
                            user(Map.of("created_at", "2024-01-15T10:30:00Z", "updated_at", "2024-01-15")),
                            user(Map.of("created_at", "2024-01-15T10:30:00.25+02:00")),
                            user(Map.of("created_at", "2024-01-15 10:30:00", "updated_at", "")),
                            user(Map.of("created_at", "1969-12-31T23:59:59.75Z", "other", "2024-01-15")),
                            user(Map.of("created_at", "1705314600", "updated_at", "1705314600.0")),
                            user(Map.of("name", "Ada")));
        }
    }

    @Test
    void needsAtLeastOneField() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new DatetimeFieldsToTimestamps(List.of("user:*"), List.of(), ZoneOffset.UTC));
    }
}
