package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.failure.Failure;
import java.util.Arrays;
import java.util.stream.Collectors;

/** {@code --help}: every option with its placeholder, environment variable, default and meaning, by group. */
final class HelpText {

    private HelpText() {
    }

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
        text.append(Arrays.stream(Failure.values()).map(failure -> failure.exitCode() + " " + meaning(failure))
                .distinct().collect(Collectors.joining("; ")));
        text.append(".\n  --help, -h    this text;  --version    the version\n");
        return text.toString();
    }

    private static String choices(Class<?> type) {
        if (!type.isEnum()) {
            return "";
        }
        return " One of: " + Arrays.stream(type.getEnumConstants()).map(SettingsLoader::displayName)
                .collect(Collectors.joining(", ")) + ".";
    }

    private static String meaning(Failure failure) {
        return switch (failure) {
            case INTERRUPTED -> "interrupted: rerun the same command to resume";
            case UNAVAILABLE -> "Redis unreachable";
            case REPOSITORY_UNAVAILABLE -> "job repository unreachable: rerun to resume";
            case CONFIGURATION -> "bad option or configuration, or Redis refused it (password, permission, TLS)";
            case PLAN -> "migrations cannot be planned, or one was edited after it was applied";
            case DATA -> "documents failed under the failure mode or past --max-errors";
            case LOCKED -> "another run holds the lock";
            case STOPPED -> "stopped by SIGTERM, rerun to resume";
            case CHECK -> "status --check or verify found something";
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
