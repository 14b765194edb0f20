package dev.redisombatch.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.RedisType;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceRegistrationTest {

    private final List<DataMigration> migrations = ServiceLoader.load(DataMigration.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();

    @Test
    void registersAllFourInIdOrder() {
        assertEquals(List.of("20260101_000100_normalize_emails", "20260101_000200_add_email_domain",
                        "20260101_000300_split_name", "20260101_000400_populate_missing_created_at"),
                migrations.stream().map(DataMigration::id).toList());
    }

    @Test
    void everyMigrationHasATimestampedIdADescriptionAndSelectsUserHashes() {
        for (DataMigration migration : migrations) {
            assertTrue(migration.id().matches("\\d{8}_\\d{6}_[a-z_]+"), migration.id());
            assertTrue(!migration.description().isBlank(), migration.id());
            assertEquals(List.of(":app.models.User:*"), migration.keys().patterns(), migration.id());
            assertEquals(RedisType.HASH, migration.keys().type(), migration.id());
        }
    }
}
