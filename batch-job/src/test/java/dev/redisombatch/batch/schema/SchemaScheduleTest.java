package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.failure.Failure;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaScheduleTest {

    private static final String DATETIME = "001_datetime_fields_to_timestamps";

    private static SchemaMigrationFile migration(String id, String index, String... after) {
        return new SchemaMigrationFile(
                id,
                "",
                index,
                Optional.empty(),
                List.of(after),
                after.length == 0 ? 0 : 4,
                null,
                LiveIndexTest.RECORDED_USERS,
                Path.of("schema-migrations", id + ".yaml"));
    }

    @Test
    void aMigrationAfterAPendingDataMigrationWaitsAndSoDoLaterOnesOfItsIndexButNotOthers() {
        SchemaMigrationFile create = migration("1_create_users", "users");
        SchemaMigrationFile numeric = migration("2_created_at_numeric", "users", DATETIME);
        SchemaMigrationFile nickname = migration("3_nickname", "users");
        SchemaMigrationFile orders = migration("4_orders", "orders");
        SchemaSchedule schedule = new SchemaSchedule(List.of(create, numeric, nickname, orders), Set.of());

        assertThat(schedule.ready()).containsExactly(create, orders);
        assertThat(schedule.waiting())
                .containsExactly(
                        "2_created_at_numeric: waits for data migration " + DATETIME
                                + " (after: in 2_created_at_numeric.yaml), not applied",
                        "3_nickname: waits for 2_created_at_numeric, an earlier migration of index users");

        schedule.done(create);
        schedule.done(orders);
        schedule.dataApplied(DATETIME);

        assertThat(schedule.ready()).containsExactly(numeric, nickname);
        assertThat(schedule.waiting()).isEmpty();
        assertThat(schedule.pendingCount()).isEqualTo(2);
    }

    @Test
    void everyDataMigrationNamedMustBeAppliedAndOnesAppliedBeforeTheRunCount() {
        SchemaMigrationFile both = migration("2_both", "users", "a", "b");

        assertThat(new SchemaSchedule(List.of(both), Set.of("a", "b")).ready()).containsExactly(both);
        SchemaSchedule onlyA = new SchemaSchedule(List.of(both), Set.of("a"));
        assertThat(onlyA.ready()).isEmpty();
        assertThat(onlyA.waiting())
                .containsExactly("2_both: waits for data migration b (after: in 2_both.yaml)," + " not applied");
    }

    @Test
    void anAfterNamingNoDataMigrationKnownOrAppliedIsAPlanErrorAtItsLine() {
        SchemaMigrationFile typo = migration("2_created_at_numeric", "users", "001_datetime_fields_to_timestamp");

        assertThatThrownBy(() -> SchemaApplyCommand.refuseUnknownAfter(List.of(typo), Set.of(DATETIME), Set.of()))
                .isInstanceOf(SchemaFileException.class)
                .hasMessageStartingWith(typo.source() + ":4: after: 001_datetime_fields_to_timestamp is no data"
                        + " migration known here")
                .satisfies(e -> assertThat(((SchemaFileException) e).failure()).isEqualTo(Failure.PLAN));
        // applied counts as known, as for data migration dependencies whose code is gone
        SchemaApplyCommand.refuseUnknownAfter(List.of(typo), Set.of(), Set.of("001_datetime_fields_to_timestamp"));
    }
}
