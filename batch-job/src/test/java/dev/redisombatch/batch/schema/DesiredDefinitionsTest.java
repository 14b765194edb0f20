package dev.redisombatch.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.failure.RedisOmBatchException;
import dev.redisombatch.batch.redis.RedisSettings;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which desired definitions {@code create} reads, without a Redis: {@code models/} limited by {@code --index}, and a
 * {@code --desired-from} that is not a Redis URL refused under its own name. The reference Redis itself is
 * DesiredFromReferenceIT's.
 */
class DesiredDefinitionsTest {

    @TempDir
    Path root;

    @Test
    void indexLimitsTheModelsAndNamesOneThatHasNone() throws IOException {
        model("users");
        model("orders");

        assertThat(desired(List.of("orders")).read())
                .extracting(IndexModel::index)
                .containsExactly("orders");
        assertThat(desired(List.of()).read()).hasSize(2);
        assertThatThrownBy(() -> desired(List.of("orders", "invoices")).read())
                .isInstanceOfSatisfying(
                        RedisOmBatchException.class,
                        e -> assertThat(e.failure()).isEqualTo(Failure.CONFIGURATION))
                .hasMessageStartingWith("--index=orders,invoices: no model for invoices in");
    }

    @Test
    void aDesiredFromThatIsNotARedisUrlIsRefusedUnderItsOwnName() {
        assertThatThrownBy(
                        () -> SchemaSettings.defaults().withDesiredFrom("http://user:s3cret@scratch:6379", List.of()))
                .isInstanceOfSatisfying(
                        InvalidSettingException.class, e -> assertThat(e.key()).isEqualTo("desired-from"))
                .message()
                .doesNotContain("s3cret");
    }

    private DesiredDefinitions desired(List<String> indexes) {
        return new DesiredDefinitions(
                SchemaSettings.defaults().withDesiredFrom(null, indexes),
                RedisSettings.of("redis://127.0.0.1:1"),
                root);
    }

    private void model(String index) throws IOException {
        Files.writeString(
                Files.createDirectories(root.resolve(SchemaFiles.MODELS_FOLDER)).resolve(index + ".yaml"),
                "index: " + index + "\ndefinition:\n  on: HASH\n  prefixes: [\"" + index
                        + ":\"]\n  fields:\n    - {name: t, type: TEXT}\n");
    }
}
