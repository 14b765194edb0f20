package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.Secret;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * Every option, read off the settings records themselves (each component's {@code @Name}, {@code @Help},
 * {@code @DefaultValue}, {@code @Secret}), so the option list, {@code --help}, the environment variable names and the
 * check for unknown keys cannot disagree with what is bound.
 */
final class OptionCatalogue {

    /** Environment variables of this tool start with this; the rest of the name is the key in upper case. */
    static final String ENVIRONMENT_PREFIX = "REDIS_OM_BATCH_";
    /** Spring's own keys and logging levels may be given too; they are Spring's to check. */
    private static final List<String> SPRING_KEYS = List.of("spring.", "logging.", "debug", "trace");

    /** One option. {@code defaultValue} is null when it has none. */
    record Option(
            String key,
            String placeholder,
            String help,
            String defaultValue,
            boolean secret,
            Class<?> type,
            String heading) {

        String environmentVariable() {
            return environmentName(key);
        }
    }

    static final List<Option> OPTIONS = read();

    private OptionCatalogue() {}

    private static List<Option> read() {
        List<Option> options = new ArrayList<>();
        for (int g = 0; g < Settings.GROUPS.size(); g++) {
            Class<? extends Record> group = Settings.GROUPS.get(g);
            Constructor<?> constructor = canonicalConstructor(group);
            Parameter[] parameters = constructor.getParameters();
            // Read once for the whole constructor: each Parameter.getAnnotation parses the annotations of every
            // parameter again, which made this quadratic in a record's size.
            Annotation[][] annotations = constructor.getParameterAnnotations();
            for (int p = 0; p < parameters.length; p++) {
                Name name = find(annotations[p], Name.class);
                Help help = find(annotations[p], Help.class);
                if (name == null || help == null) {
                    throw new IllegalStateException(
                            group.getSimpleName() + "." + parameters[p].getName() + " needs @Name and @Help");
                }
                DefaultValue defaultValue = find(annotations[p], DefaultValue.class);
                options.add(new Option(
                        name.value(),
                        help.placeholder(),
                        help.value(),
                        defaultValue == null || defaultValue.value().length == 0
                                ? null
                                : String.join(",", defaultValue.value()),
                        find(annotations[p], Secret.class) != null,
                        parameters[p].getType(),
                        Settings.HEADINGS.get(g)));
            }
        }
        return List.copyOf(options);
    }

    private static <A extends Annotation> A find(Annotation[] annotations, Class<A> type) {
        for (Annotation annotation : annotations) {
            if (type.isInstance(annotation)) {
                return type.cast(annotation);
            }
        }
        return null;
    }

    private static Constructor<?> canonicalConstructor(Class<? extends Record> type) {
        try {
            return type.getDeclaredConstructor(Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getType)
                    .toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
    }

    static Optional<Option> find(String key) {
        return OPTIONS.stream().filter(option -> option.key().equals(key)).findFirst();
    }

    static boolean isSecret(String key) {
        return find(key).map(Option::secret).orElse(false);
    }

    /** Whether a key may be given: one of ours, or one of Spring's. */
    static boolean isKnown(String key) {
        return find(key).isPresent() || SPRING_KEYS.stream().anyMatch(key::startsWith);
    }

    /** The environment variable a key is read from. */
    static String environmentName(String key) {
        return ENVIRONMENT_PREFIX
                + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The key an environment variable of ours stands for, if any. */
    static Optional<String> keyOfEnvironmentName(String variable) {
        return OPTIONS.stream()
                .map(Option::key)
                .filter(key -> environmentName(key).equals(variable))
                .findFirst();
    }

    /** " (did you mean --threads?)" for a key close to one of ours; empty when none is close. */
    static String suggestionFor(String key) {
        return closest(key)
                .map(candidate -> " (did you mean --" + candidate + "?)")
                .orElse("");
    }

    /** The option key nearest to a mistyped one, if one is near enough to be what was meant. */
    static Optional<String> closest(String key) {
        return OPTIONS.stream()
                .map(Option::key)
                .filter(candidate -> distance(key, candidate) <= Math.max(2, key.length() / 4))
                .min(Comparator.comparingInt(candidate -> distance(key, candidate)));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
