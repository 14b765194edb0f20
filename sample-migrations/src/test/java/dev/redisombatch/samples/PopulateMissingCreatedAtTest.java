package dev.redisombatch.samples;

import static dev.redisombatch.samples.Samples.KEY;
import static dev.redisombatch.samples.Samples.PK;
import static dev.redisombatch.samples.Samples.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.MigrationTester;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PopulateMissingCreatedAtTest {

    private static final String USERS = ":app.models.User:";

    private final PopulateMissingCreatedAt migration = new PopulateMissingCreatedAt();
    private final MigrationTester tester = MigrationTester.of(migration);

    @Test
    void declaresWhatItReadsAndDependsOn() {
        assertEquals("20260101_000400_populate_missing_created_at", migration.id());
        assertEquals(List.of("001_datetime_fields_to_timestamps"), migration.dependencies());
        assertEquals(Set.of("created_at"), migration.fieldsRead());
    }

    @Test
    void setsCreatedAtFromTheUlidTimeInWholeSeconds() {
        tester.assertMigrates(
                user(Map.of("pk", PK, "email", "ada@example.com")),
                Map.of("pk", PK, "email", "ada@example.com", "created_at", "1700000000.0"));
    }

    @Test
    void writesMillisecondsInTheShortestDecimal() {
        // 01HF7YAT3V is 1700000000123 ms and 01HF7YAT3R is 1700000000120 ms.
        tester.assertMigrates(
                Document.of(USERS + "01HF7YAT3VABCDEFGHJKMNPQRS", Map.of()), Map.of("created_at", "1700000000.123"));
        tester.assertMigrates(
                Document.of(USERS + "01HF7YAT3RABCDEFGHJKMNPQRS", Map.of()), Map.of("created_at", "1700000000.12"));
    }

    @Test
    void formatsSecondsLikePythonsStrOfAFloat() {
        assertEquals("0.0", PopulateMissingCreatedAt.seconds(0));
        assertEquals("0.001", PopulateMissingCreatedAt.seconds(1));
        assertEquals("1700000000.5", PopulateMissingCreatedAt.seconds(1_700_000_000_500L));
        assertEquals("281474976710.655", PopulateMissingCreatedAt.seconds((1L << 48) - 1));
    }

    @Test
    void fillsABlankCreatedAt() {
        tester.assertMigrates(user(Map.of("created_at", " ")), Map.of("created_at", "1700000000.0"));
    }

    @Test
    void readsLowerCaseUlids() {
        tester.assertMigrates(Document.of(USERS + PK.toLowerCase(), Map.of()), Map.of("created_at", "1700000000.0"));
    }

    @Test
    void leavesAnExistingCreatedAtAlone() {
        tester.assertUnchanged(user(Map.of("pk", PK, "created_at", "1690000000.25")));
        tester.assertUnchanged(user(Map.of("pk", PK, "created_at", "2023-11-14T22:13:20Z")));
        tester.assertUnchanged(Document.of(USERS + "42", Map.of("created_at", "1690000000.0")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "42",
                "01HF7YAT00ABCDEFGHJKMNPQR",
                "01HF7YAT00ABCDEFGHJKMNPQRST",
                "01HF7YAT00ABCDEFGHJKMNPQRU",
                "81HF7YAT00ABCDEFGHJKMNPQRS",
                "01HF7YAT00-BCDEFGHJKMNPQRS",
                ""
            })
    void rejectsAKeyWhosePkIsNotAUlid(String pk) {
        String key = USERS + pk;
        DataMigrationException rejected = tester.assertRejects(Document.of(key, Map.of("email", "ada@example.com")));
        assertTrue(rejected.getMessage().contains(key), rejected.getMessage());
    }

    @Test
    void isIdempotent() {
        tester.assertIdempotent(
                user(Map.of("pk", PK)),
                user(Map.of("pk", PK, "created_at", "")),
                user(Map.of("pk", PK, "created_at", "1690000000.25")),
                Document.of(USERS + "01HF7YAT3VABCDEFGHJKMNPQRS", Map.of("name", "Ada Lovelace")),
                Document.of(KEY, Map.of()));
    }
}
