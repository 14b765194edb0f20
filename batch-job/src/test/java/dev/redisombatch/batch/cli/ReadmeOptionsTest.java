package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README's option tables list every option with its environment variable and default, as the code has them. */
class ReadmeOptionsTest {

    @Test
    void everyOptionIsInReadmeWithItsVariableAndDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (OptionCatalogue.Option option : OptionCatalogue.OPTIONS) {
            String row = readme.lines().filter(line -> line.startsWith("| `--" + option.key() + "="))
                    .findFirst().orElse(null);
            assertThat(row).as("README has a row for --" + option.key()).isNotNull();
            assertThat(row).contains("`" + option.environmentVariable() + "`");
            if (option.defaultValue() != null && !option.defaultValue().isEmpty()) {
                assertThat(row).as("default of --" + option.key()).contains("`" + option.defaultValue() + "`");
            }
        }
        assertThat(readme.lines().filter(line -> line.startsWith("| `--")).count())
                .as("no row for an option that does not exist").isEqualTo(OptionCatalogue.OPTIONS.size());
    }
}
