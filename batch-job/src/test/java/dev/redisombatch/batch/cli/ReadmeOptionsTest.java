package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The option tables of docs/configuration.md list every option with its environment variable and default, as the
 * code has them.
 */
class ReadmeOptionsTest {

    @Test
    void everyOptionIsInTheConfigurationPageWithItsVariableAndDefault() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (OptionCatalogue.Option option : OptionCatalogue.OPTIONS) {
            String row = page.lines()
                    .filter(line -> line.startsWith("| `--" + option.key() + "="))
                    .findFirst()
                    .orElse(null);
            assertThat(row)
                    .as("docs/configuration.md has a row for --" + option.key())
                    .isNotNull();
            assertThat(row).contains("`" + option.environmentVariable() + "`");
            if (option.defaultValue() != null && !option.defaultValue().isEmpty()) {
                assertThat(row).as("default of --" + option.key()).contains("`" + option.defaultValue() + "`");
            }
        }
        assertThat(page.lines().filter(line -> line.startsWith("| `--")).count())
                .as("no row for an option that does not exist")
                .isEqualTo(OptionCatalogue.OPTIONS.size());
    }
}
