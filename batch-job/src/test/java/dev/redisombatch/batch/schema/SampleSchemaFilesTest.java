package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example files docs/schema-migrations.md points at stay readable, and say what Redis OM Python would say. */
class SampleSchemaFilesTest {

    private static final Path SAMPLES = Path.of("../sample-migrations/migrations");

    @Test
    void theSampleMigrationsChainAndEndWhereTheModelIs() {
        List<SchemaMigrationFile> migrations = SchemaFiles.migrations(SAMPLES);
        List<IndexModel> models = SchemaFiles.models(SAMPLES);

        assertThat(migrations)
                .extracting(SchemaMigrationFile::id)
                .containsExactly("20261101_000000_create_user_index", "20261102_000000_add_first_name");
        assertThat(migrations.get(0).next()).isEqualTo(LiveIndexTest.RECORDED_USERS);
        assertThat(migrations.get(1).previous()).isEqualTo(migrations.get(0).next());
        assertThat(migrations.get(0).after()).containsExactly("001_datetime_fields_to_timestamps");
        assertThat(migrations.get(1).after()).containsExactly("20260101_000300_split_name");
        assertThat(models).singleElement().satisfies(model -> {
            assertThat(model.index()).isEqualTo(migrations.get(1).index());
            assertThat(model.definition()).isEqualTo(migrations.get(1).next());
        });
    }
}
