package dev.redisombatch.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code --help=TOPIC} prints the page docs/TOPIC.md from the jar's own copy, for every page there is. */
class HelpTopicsTest {

    private static final Path DOCS = Path.of("..", "docs");

    @Test
    void everyDocsPageIsATopicAndNothingElse() throws IOException {
        try (Stream<Path> pages = Files.list(DOCS)) {
            assertThat(pages.map(page -> page.getFileName().toString())
                            .filter(name -> name.endsWith(".md"))
                            .map(name -> name.substring(0, name.length() - ".md".length()))
                            .collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(HelpText.TOPICS);
        }
    }

    @Test
    void eachTopicPrintsItsPageAsBuiltIntoTheClasspath() throws IOException {
        for (String topic : HelpText.TOPICS) {
            Run run = run("--help=" + topic);
            assertThat(run.exitCode).as(topic).isZero();
            assertThat(run.out).as(topic).isEqualTo(Files.readString(DOCS.resolve(topic + ".md")));
        }
    }

    @Test
    void theOptionListNamesTheTopics() {
        Run run = run("--help");
        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("--help=TOPIC").contains("how-a-run-works, cluster,");
    }

    @Test
    void anUnknownTopicIsOneLineAndExit2() {
        Run run = run("--help=retries");
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err.strip().lines())
                .singleElement()
                .asString()
                .startsWith("redis-om-batch: --help=retries: no such topic; one of: configuration, jobs,");
    }

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = new Cli(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of())
                .run(args);
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
