package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.failure.Redaction;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line, checked before anything else happens: every argument is {@code --key=value}, or {@code --key}
 * for a true flag, and every key is an option of ours or one of Spring's ({@code --spring.config.location},
 * {@code --spring.profiles.active}, {@code --logging.level.*}). What passes goes on to Spring Boot's command-line
 * property source as {@code --key=value}.
 *
 * @param normalized the arguments as {@code --key=value}, bare flags made {@code =true}
 * @param helpTopic with {@code --help=TOPIC}, the page of the reference asked for; null for the option list
 */
record CommandLineArguments(List<String> normalized, boolean help, String helpTopic, boolean version) {

    static CommandLineArguments parse(String... args) {
        List<String> normalized = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean help = false;
        String helpTopic = null;
        boolean version = false;
        for (String argument : args) {
            if (argument.equals("-h") || argument.equals("--help")) {
                help = true;
                continue;
            }
            if (argument.startsWith("--help=")) {
                help = true;
                helpTopic = argument.substring("--help=".length());
                continue;
            }
            if (argument.equals("--version")) {
                version = true;
                continue;
            }
            if (!argument.startsWith("--") || argument.length() == 2) {
                throw new InvalidSettingException(
                        Redaction.mask(argument), "not an option: options are written" + " --name=value (see --help)");
            }
            int equals = argument.indexOf('=');
            String key = equals < 0 ? argument.substring(2) : argument.substring(2, equals);
            if (!OptionCatalogue.isKnown(key)) {
                throw new InvalidSettingException(
                        "--" + key, "unknown option" + OptionCatalogue.suggestionFor(key) + "; --help lists them");
            }
            if (!seen.add(key)) {
                throw new InvalidSettingException(
                        "--" + key, "given twice; give each option once (a list is" + " comma-separated)");
            }
            normalized.add(equals < 0 ? argument + "=true" : argument);
        }
        return new CommandLineArguments(List.copyOf(normalized), help, helpTopic, version);
    }

    String[] asArray() {
        return normalized.toArray(String[]::new);
    }
}
