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
    void registersAllFiveInIdOrder() {
        assertEquals(
                List.of(
                        "20260101_000100_normalize_emails",
                        "20260101_000200_add_email_domain",
                        "20260101_000300_split_name",
                        "20260101_000400_populate_missing_created_at",
                        "20260201_000100_rename_zip_to_postal_code"),
                migrations.stream().map(DataMigration::id).toList());
    }

    @Test
    void everyMigrationHasATimestampedIdADescriptionAndSelectsUserHashesOrCustomerDocuments() {
        for (DataMigration migration : migrations) {
            assertTrue(migration.id().matches("\\d{8}_\\d{6}_[a-z_]+"), migration.id());
            assertTrue(!migration.description().isBlank(), migration.id());
            boolean json = migration.keys().type() == RedisType.JSON;
            assertEquals(
                    List.of(json ? ":app.models.Customer:*" : ":app.models.User:*"),
                    migration.keys().patterns(),
                    migration.id());
        }
    }
}
