package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.builtin.DatetimeSettings;
import dev.redisombatch.batch.command.Configuration;
import dev.redisombatch.batch.copy.CopySettings;
import dev.redisombatch.batch.data.step.DataStepSettings;
import dev.redisombatch.batch.failure.Failures;
import dev.redisombatch.batch.failure.Redaction;
import dev.redisombatch.batch.jobs.JobRepositorySettings;
import dev.redisombatch.batch.ops.LockSettings;
import dev.redisombatch.batch.ops.MetricsSettings;
import dev.redisombatch.batch.plan.PlanSettings;
import dev.redisombatch.batch.redis.KeyText;
import dev.redisombatch.batch.redis.RedisSettings;
import dev.redisombatch.batch.remote.RemoteSettings;
import dev.redisombatch.batch.schema.SchemaSettings;
import dev.redisombatch.batch.settings.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Binds the settings records from the environment Spring Boot prepared: the command line, environment variables
 * ({@code REDIS_OM_BATCH_*}), {@code application.yml}/{@code .properties} (in the working directory, at
 * {@code --spring.config.location}, per profile, or imported, e.g. {@code configtree:} secrets), then the named
 * defaults, in that order of precedence. An unknown key in any of them, or a value that cannot be used, is one line
 * naming where it came from: {@code --threads=0}, {@code REDIS_OM_BATCH_THREADS=0 (environment)},
 * {@code application.yml:3: threads=0}. Secret values are never shown.
 */
final class SettingsLoader {

    /** How Spring Boot describes a value's place in a file: {@code URL [file:/x/application.yml] - 3:10}. */
    private static final Pattern FILE_ORIGIN = Pattern.compile(".*\\[(.*)] - (\\d+):\\d+");

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");

    private SettingsLoader() {}

    static Settings load(ConfigurableEnvironment environment, Map<String, String> variables) {
        checkEnvironmentVariables(variables);
        checkConfigFiles(environment);
        checkWholeNumbers(environment);
        Binder binder = binder(environment);
        try {
            JobOptions job = bind(binder, JobOptions.class);
            Configuration configuration = new Configuration(
                    bind(binder, RedisSettings.class),
                    bind(binder, CopySettings.class),
                    bind(binder, JobRepositorySettings.class),
                    bind(binder, DataStepSettings.class),
                    bind(binder, RemoteSettings.class),
                    bind(binder, PlanSettings.class),
                    bind(binder, DatetimeSettings.class),
                    bind(binder, SchemaSettings.class),
                    bind(binder, LockSettings.class),
                    bind(binder, MetricsSettings.class));
            Map<String, String> levels = new LinkedHashMap<>();
            if (job.verbose()) {
                levels.put(LogSetup.OWN_LOGGER, "debug");
            }
            levels.putAll(binder.bind("logging.level", Bindable.mapOf(String.class, String.class))
                    .orElse(Map.of()));
            LogSetup.applyLevels(levels);
            return new Settings(job, configuration);
        } catch (BindException e) {
            throw Failures.findCause(e, InvalidSettingException.class)
                    .map(invalid -> located(environment, invalid.key(), invalid.problem()))
                    .orElseGet(() -> located(
                            environment,
                            e.getProperty() == null
                                    ? e.getName().toString()
                                    : e.getProperty().getName().toString(),
                            expected(e)));
        } catch (InvalidSettingException e) {
            throw located(environment, e.key(), e.problem());
        }
    }

    /**
     * A binder with Spring Boot's own conversions (durations such as {@code 30s}, comma-separated lists, enums in any
     * case) but not the shared conversion service's formatters for dates, numbers and money, which load a few hundred
     * classes at every start for options that have none.
     */
    private static Binder binder(ConfigurableEnvironment environment) {
        DefaultConversionService conversions = new DefaultConversionService();
        ApplicationConversionService.addApplicationConverters(conversions);
        return new Binder(
                ConfigurationPropertySources.get(environment),
                new PropertySourcesPlaceholdersResolver(environment),
                conversions);
    }

    private static <T> T bind(Binder binder, Class<T> type) {
        return binder.bindOrCreate("", Bindable.of(type));
    }

    private static void checkEnvironmentVariables(Map<String, String> variables) {
        for (String variable : variables.keySet()) {
            if (!variable.startsWith(OptionCatalogue.ENVIRONMENT_PREFIX)) {
                continue;
            }
            String rest = variable.substring(OptionCatalogue.ENVIRONMENT_PREFIX.length());
            if (OptionCatalogue.keyOfEnvironmentName(variable).isEmpty()
                    && !rest.startsWith("SPRING_")
                    && !rest.startsWith("LOGGING_")) {
                String suggestion = OptionCatalogue.closest(
                                rest.toLowerCase(Locale.ROOT).replace('_', '-'))
                        .map(key -> " (did you mean " + OptionCatalogue.environmentName(key) + "?)")
                        .orElse("");
                throw new InvalidSettingException(variable + " (environment)", "unknown option" + suggestion);
            }
        }
    }

    /** Every key in a configuration file or imported folder must be an option of ours or one of Spring's. */
    private static void checkConfigFiles(ConfigurableEnvironment environment) {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof OriginTrackedMapPropertySource)
                    && !source.getClass().getSimpleName().equals("ConfigTreePropertySource")) {
                continue;
            }
            if (!(ConfigurationPropertySource.from(source) instanceof IterableConfigurationPropertySource keys)) {
                continue;
            }
            keys.stream()
                    .filter(name -> !OptionCatalogue.isKnown(name.toString()))
                    .findFirst()
                    .ifPresent(name -> {
                        ConfigurationProperty property = keys.getConfigurationProperty(name);
                        throw new InvalidSettingException(
                                where(property, name.toString()),
                                "unknown option" + OptionCatalogue.suggestionFor(name.toString()));
                    });
        }
    }

    /**
     * A whole-number option given as text must be one, with nothing but white space around it: Spring's conversion
     * drops every white space character, inner ones too, so {@code "4\n5"} became 45.
     */
    private static void checkWholeNumbers(ConfigurableEnvironment environment) {
        for (OptionCatalogue.Option option : OptionCatalogue.OPTIONS) {
            Class<?> type = option.type();
            if (type != int.class && type != long.class && type != Integer.class && type != Long.class) {
                continue;
            }
            ConfigurationPropertyName name = ConfigurationPropertyName.of(option.key());
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
                ConfigurationProperty property = source.getConfigurationProperty(name);
                if (property == null) {
                    continue;
                }
                if (property.getValue() instanceof CharSequence text
                        && !WHOLE_NUMBER.matcher(text.toString().strip()).matches()) {
                    throw new InvalidSettingException(where(property, option.key()), "expected a whole number");
                }
                break;
            }
        }
    }

    /** The problem, prefixed with where the value came from. */
    private static InvalidSettingException located(ConfigurableEnvironment environment, String key, String problem) {
        ConfigurationProperty property = null;
        try {
            ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
                property = source.getConfigurationProperty(name);
                if (property != null) {
                    break;
                }
            }
        } catch (RuntimeException notAPropertyName) {
            // a key already described ("--x", "VARIABLE (environment)")
        }
        return new InvalidSettingException(property == null ? key : where(property, key), problem);
    }

    /** {@code --key=value}, {@code VARIABLE=value (environment)} or {@code file:line: key=value}. */
    private static String where(ConfigurationProperty property, String key) {
        String value = shown(key, String.valueOf(property.getValue()));
        Origin origin = property.getOrigin();
        String described = String.valueOf(origin);
        if (described.contains("\"commandLineArgs\"")) {
            return "--" + key + "=" + value;
        }
        if (described.contains("\"" + SettingsEnvironment.ENVIRONMENT + "\"")) {
            return OptionCatalogue.environmentName(key) + "=" + value + " (environment)";
        }
        Matcher file = FILE_ORIGIN.matcher(described);
        if (file.matches()) {
            return Path.of(file.group(1).replaceFirst("^file:", "")).getFileName() + ":" + file.group(2) + ": " + key
                    + "=" + value;
        }
        return described + ": " + key + "=" + value;
    }

    private static String shown(String key, String value) {
        return OptionCatalogue.isSecret(key) && !key.endsWith("url")
                ? Redaction.MASK
                : KeyText.oneLine(Redaction.mask(value), KeyText.MAX_PRINTED);
    }

    /** An enum constant as options spell it: {@code log_and_skip}, {@code zero-downtime}, {@code migrateData}. */
    static String displayName(Object constant) {
        String name = constant.toString();
        return name.equals(name.toUpperCase(Locale.ROOT)) ? name.toLowerCase(Locale.ROOT) : name;
    }

    /** What a value that could not be converted should have been. */
    private static String expected(BindException e) {
        Class<?> type = e.getTarget() == null || e.getTarget().getType().resolve() == null
                ? Object.class
                : e.getTarget().getType().resolve();
        String key = e.getProperty() == null ? "" : e.getProperty().getName().toString();
        Class<?> optionType = OptionCatalogue.find(key)
                .<Class<?>>map(OptionCatalogue.Option::type)
                .orElse(type);
        if (optionType.isEnum()) {
            return "expected one of "
                    + Arrays.stream(optionType.getEnumConstants())
                            .map(SettingsLoader::displayName)
                            .collect(Collectors.joining(", "));
        }
        if (optionType == Duration.class) {
            return "expected a number of seconds, or a duration like 30s, 5m or 1h";
        }
        if (optionType == boolean.class || optionType == Boolean.class) {
            return "expected true or false";
        }
        if (optionType == int.class
                || optionType == long.class
                || optionType == Integer.class
                || optionType == Long.class) {
            Object value = e.getProperty() == null ? null : e.getProperty().getValue();
            String number = value instanceof CharSequence text ? text.toString().strip() : "";
            if (WHOLE_NUMBER.matcher(number).matches()) {
                // A whole number all the same: one the option's type cannot hold.
                boolean wide = optionType == long.class || optionType == Long.class;
                return number.startsWith("-")
                        ? "expected a whole number no smaller than " + (wide ? Long.MIN_VALUE : Integer.MIN_VALUE)
                        : "expected a whole number no larger than " + (wide ? Long.MAX_VALUE : Integer.MAX_VALUE);
            }
            return "expected a whole number";
        }
        if (optionType == Path.class) {
            return "expected a path";
        }
        return "cannot be read: " + Failures.describe(e.getCause() == null ? e : e.getCause());
    }
}
