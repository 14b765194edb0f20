package dev.redisombatch.batch.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.plan.MigrationChecksum;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in's configuration survives the trip through its applied record, checksum included. */
class DatetimeConfigurationTest {

    @Test
    void rebuildsTheSameMigrationFromItsConfiguration() {
        DatetimeFieldsToTimestamps original = new DatetimeFieldsToTimestamps(
                List.of(":a:*", ":b:*"), List.of("updated_at", "created_at"), ZoneId.of("Europe/Paris"));

        DatetimeFieldsToTimestamps rebuilt = DatetimeFieldsToTimestamps.fromConfiguration(
                        original.id(), original.configuration())
                .orElseThrow();

        assertThat(rebuilt.configuration()).isEqualTo(original.configuration());
        assertThat(rebuilt.keys()).isEqualTo(original.keys());
        assertThat(MigrationChecksum.of(rebuilt)).isEqualTo(MigrationChecksum.of(original));
        assertThat(original.configuration())
                .containsEntry("fields", "created_at,updated_at")
                .containsEntry("zone", "Europe/Paris");
    }

    @Test
    void anIncompleteRecordRebuildsNothing() {
        assertThat(DatetimeFieldsToTimestamps.fromConfiguration(DatetimeFieldsToTimestamps.ID, Map.of("keys", ":a:*")))
                .isEmpty();
    }
}
