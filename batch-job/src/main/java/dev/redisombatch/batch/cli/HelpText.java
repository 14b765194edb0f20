package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.failure.Failure;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code --help}: every option with its placeholder, environment variable, default and meaning, by group; and
 * {@code --help=TOPIC}: one page of the reference. The pages are docs/*.md of the source, which the build copies into
 * the jar (under {@value #PAGES}), so that whoever has only the jar can read them, in the version they run.
 */
final class HelpText {

    private static final String PAGES = "/redis-om-batch-docs/";

    /** docs/*.md by name, in the order README's table lists them; a test keeps this list and the folder in step. */
    static final List<String> TOPICS = List.of(
            "configuration",
            "jobs",
            "exit-codes",
            "how-a-run-works",
            "cluster",
            "json",
            "several-nodes",
            "copy",
            "security",
            "json-output",
            "operations",
            "builtin-datetime",
            "writing-a-migration",
            "schema-migrations",
            "tests",
            "compatibility",
            "performance");

    private HelpText() {}

    static String render() {
        StringBuilder text = new StringBuilder();
        text.append("Usage: java -jar redis-om-batch.jar [--job=NAME] [--option=value ...]\n\n");
        text.append("Runs Redis OM schema and data migrations at scale as restartable Spring Batch jobs.\n");
        text.append("Each option can also be set as an environment variable (shown) or in application.yml\n");
        text.append("(./application.yml, or --spring.config.location=FILE); the command line wins over the\n");
        text.append("environment, which wins over files. --spring.profiles.active picks application-PROFILE.yml.\n");
        String heading = null;
        for (OptionCatalogue.Option option : OptionCatalogue.OPTIONS) {
            if (!option.heading().equals(heading)) {
                heading = option.heading();
                text.append('\n').append(heading).append(":\n");
            }
            text.append("  --").append(option.key()).append('=').append(option.placeholder());
            text.append("   [").append(option.environmentVariable()).append(']');
            if (option.defaultValue() != null && !option.defaultValue().isEmpty()) {
                text.append("   default ").append(option.defaultValue());
            }
            text.append('\n');
            wrap(text, option.help() + choices(option.type()), "      ");
        }
        text.append("\nExit codes: 0 done, or nothing pending; ");
        text.append(Arrays.stream(Failure.values())
                .map(failure -> failure.exitCode() + " " + meaning(failure))
                .distinct()
                .collect(Collectors.joining("; ")));
        text.append(".\n  --help, -h    this text;  --version    the version\n");
        text.append("  --help=TOPIC  a page of the reference, as in docs/TOPIC.md of the source (Markdown), one of:\n");
        wrap(text, String.join(", ", TOPICS), "      ");
        return text.toString();
    }

    /** The reference page {@code topic}, as Markdown text. */
    static String page(String topic) {
        if (!TOPICS.contains(topic)) {
            throw new InvalidSettingException("--help=" + topic, "no such topic; one of: " + String.join(", ", TOPICS));
        }
        try (InputStream page = HelpText.class.getResourceAsStream(PAGES + topic + ".md")) {
            if (page == null) {
                throw new IllegalStateException("the jar lacks " + PAGES + topic + ".md: a build without docs/");
            }
            return new String(page.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String choices(Class<?> type) {
        if (!type.isEnum()) {
            return "";
        }
        return " One of: "
                + Arrays.stream(type.getEnumConstants())
                        .map(SettingsLoader::displayName)
                        .collect(Collectors.joining(", "))
                + ".";
    }

    private static String meaning(Failure failure) {
        return switch (failure) {
            case INTERRUPTED -> "interrupted: rerun the same command to resume";
            case UNAVAILABLE -> "Redis unreachable";
            case REPOSITORY_UNAVAILABLE -> "job repository unreachable: rerun to resume";
            case CONFIGURATION, REFUSED_AFTER_WRITES ->
                "bad option or configuration, or Redis refused it (password, permission, TLS)";
            case PLAN -> "migrations cannot be planned, or one was edited after it was applied";
            case TARGET_IN_USE -> "the target of a copy holds keys the copy did not write, or changed since";
            case DATA -> "documents failed under the failure mode or past --max-errors";
            case LOCKED -> "another run holds the lock, or the same dry run is still running";
            case STOPPED -> "stopped by SIGTERM, rerun to resume";
            case DECLINED -> "answered no at the prompt, nothing written";
            case CHECK -> "status --check or verify found something";
            case OUT_OF_STEP -> "--follow ended, but the target may have missed a change of the source";
        };
    }

    private static void wrap(StringBuilder text, String words, String indent) {
        StringBuilder line = new StringBuilder(indent);
        for (String word : words.split(" ")) {
            if (line.length() + word.length() > 110 && line.length() > indent.length()) {
                text.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder(indent);
            }
            line.append(word).append(' ');
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }
}
