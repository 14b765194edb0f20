package dev.redisombatch.batch.cli;

import dev.redisombatch.batch.settings.InvalidSettingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.config.ConfigDataException;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Where settings come from, in Spring Boot's order of precedence, prepared with Spring Boot's own pieces but without
 * starting an application context (which would cost seconds for nothing the tool needs): the command line, then this
 * tool's environment variables ({@code REDIS_OM_BATCH_*}, the prefix stripped, relaxed binding as usual), then the
 * configuration files Spring Boot's config data loads ({@code application.yml}/{@code .properties} in the working
 * directory or at {@code spring.config.location}, profile files, {@code spring.config.import}s such as
 * {@code configtree:}).
 */
final class SettingsEnvironment {

    static final String COMMAND_LINE = SimpleCommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME;
    static final String ENVIRONMENT = "redisOmBatchEnvironment";

    private SettingsEnvironment() {}

    static ConfigurableEnvironment prepare(CommandLineArguments arguments, Map<String, String> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        // Only our own variables: anything else in a pod's environment (REDIS_PORT...) must not be read as an option.
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        Map<String, Object> ours = new HashMap<>();
        variables.forEach((name, value) -> {
            if (name.startsWith(OptionCatalogue.ENVIRONMENT_PREFIX)) {
                ours.put(name.substring(OptionCatalogue.ENVIRONMENT_PREFIX.length()), value);
            }
        });
        sources.addLast(new SystemEnvironmentPropertySource(ENVIRONMENT, ours));
        sources.addFirst(new SimpleCommandLinePropertySource(arguments.asArray()));
        if (anyConfigurationToLoad(environment)) {
            loadConfigurationFiles(environment);
        }
        return environment;
    }

    /**
     * Spring Boot's config data, with its failures as bad configuration (exit 2) naming the file: a YAML syntax error
     * escapes it as SnakeYAML's own exception, which knows the line but not the file, so the files it opens are
     * noted on the way.
     */
    private static void loadConfigurationFiles(ConfigurableEnvironment environment) {
        NotingResourceLoader files = new NotingResourceLoader();
        try {
            ConfigDataEnvironmentPostProcessor.applyTo(environment, files, null, List.of());
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new InvalidSettingException(
                    files.lastOpened() + (mark == null ? "" : ":" + (mark.getLine() + 1)),
                    "not valid YAML (" + oneLine(e.getProblem() != null ? e.getProblem() : e.getContext()) + ")");
        } catch (YAMLException e) {
            throw new InvalidSettingException(files.lastOpened(), "not valid YAML (" + oneLine(e.getMessage()) + ")");
        } catch (ConfigDataException e) {
            throw new InvalidSettingException("spring.config", oneLine(e.getMessage()));
        }
    }

    private static String oneLine(String text) {
        return String.valueOf(text).strip().replaceAll("\\s+", " ");
    }

    /** Resources as Spring's default loader gives them; a file's is noted when it is opened. */
    private static final class NotingResourceLoader extends DefaultResourceLoader {

        private volatile String lastOpened = "a configuration file";

        @Override
        public Resource getResource(String location) {
            Resource resource = super.getResource(location);
            if (!resource.isFile()) {
                return resource;
            }
            try {
                return new FileSystemResource(resource.getFile()) {
                    @Override
                    public InputStream getInputStream() throws IOException {
                        lastOpened = getPath();
                        return super.getInputStream();
                    }
                };
            } catch (IOException notAFile) {
                return resource;
            }
        }

        String lastOpened() {
            return lastOpened;
        }
    }

    /**
     * Whether Spring Boot's config data would find anything: a file in one of its default places (the working
     * directory, its {@code config/} folder and the folders in that; the jar holds none), or a {@code spring.config.*}
     * or {@code spring.profiles.*} setting. Loading it costs about a second of start-up, for nothing when neither is
     * there.
     */
    private static boolean anyConfigurationToLoad(ConfigurableEnvironment environment) {
        for (String key : new String[] {
            "spring.config.location",
            "spring.config.additional-location",
            "spring.config.import",
            "spring.config.name",
            "spring.profiles.active",
            "spring.profiles.include"
        }) {
            if (environment.containsProperty(key)) {
                return true;
            }
        }
        List<Path> folders = new ArrayList<>(List.of(Path.of("."), Path.of("config")));
        try (var subfolders =
                Files.isDirectory(Path.of("config")) ? Files.list(Path.of("config")) : Stream.<Path>empty()) {
            subfolders.filter(Files::isDirectory).forEach(folders::add);
        } catch (IOException unreadable) {
            return true;
        }
        return folders.stream()
                .anyMatch(folder -> Stream.of("application.yml", "application.yaml", "application.properties")
                        .anyMatch(file -> Files.exists(folder.resolve(file))));
    }
}
