package dev.redisombatch.batch.jobs;

import dev.redisombatch.batch.failure.Redaction;
import dev.redisombatch.batch.settings.Help;
import dev.redisombatch.batch.settings.InvalidSettingException;
import dev.redisombatch.batch.settings.PasswordFile;
import dev.redisombatch.batch.settings.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/** The JDBC database that keeps Spring Batch's job repository: checkpoints, executions, history. */
public record JobRepositorySettings(
        @Name("job-repository.url")
        @DefaultValue(JobRepositorySettings.DEFAULT_URL)
        @Secret
        @Help(
                value = "Where progress is kept: any JDBC URL (an H2 file, PostgreSQL...); the tables are created"
                        + " when missing. An in-memory H2 URL is refused: it would forget every checkpoint.",
                placeholder = "JDBC_URL")
        String url,

        @Name("job-repository.username")
        @DefaultValue(JobRepositorySettings.DEFAULT_USERNAME)
        @Help(value = "User for that database.", placeholder = "USER")
        String username,

        @Name("job-repository.password")
        @DefaultValue(JobRepositorySettings.DEFAULT_PASSWORD)
        @Secret
        @Help(
                value = "Password for that database; prefer --job-repository.password-file or the environment.",
                placeholder = "PASSWORD")
        String password,

        @Name("job-repository.password-file")
        @Help(value = "Read the database password from this file (a Kubernetes secret volume).", placeholder = "FILE")
        Path passwordFile,

        @Name("job-repository.outage-timeout")
        @DefaultValue(JobRepositorySettings.DEFAULT_OUTAGE_TIMEOUT_SECONDS + "s")
        @Help(
                value =
                        "How long a command waits for a job repository it cannot reach (at start, and a manager"
                                + " while its workers run) before it stops with exit 1, resumable; workers wait until it answers.",
                placeholder = "DURATION")
        Duration outageTimeout) {

    public static final String DEFAULT_URL = "jdbc:h2:file:./redis-om-batch-repository/jobs";
    public static final String DEFAULT_USERNAME = "";
    public static final String DEFAULT_PASSWORD = "";
    public static final int DEFAULT_OUTAGE_TIMEOUT_SECONDS = 60;
    /** {@code jdbc:driver://user:password@host...}: the user-info ends at the last '@' before the path. */
    private static final Pattern USER_INFO = Pattern.compile("^jdbc:[a-zA-Z0-9]+://([^/\\s]*)@");

    public JobRepositorySettings {
        if (!url.startsWith("jdbc:") || url.length() <= "jdbc:x:".length()) {
            throw new InvalidSettingException("job-repository.url", "not a JDBC URL (jdbc:...)");
        }
        Matcher userInfo = USER_INFO.matcher(url);
        if (userInfo.find()) {
            // Masked wherever it shows up, first of all in a driver's error that takes it for part of a host name.
            Redaction.registerSecret(
                    userInfo.group(1).substring(userInfo.group(1).indexOf(':') + 1));
            if (url.startsWith("jdbc:postgresql:")) {
                throw new InvalidSettingException(
                        "job-repository.url",
                        "PostgreSQL's driver reads no user:password@ before the host (it would take them for the"
                                + " host's name); give --job-repository.username and --job-repository.password-file");
            }
        }
        if (url.startsWith("jdbc:h2:mem:")) {
            throw new InvalidSettingException(
                    "job-repository.url",
                    "an in-memory repository forgets every checkpoint at exit; use a file or a server");
        }
        if (passwordFile != null && !Files.isReadable(passwordFile)) {
            throw new InvalidSettingException("job-repository.password-file", passwordFile + ": no such readable file");
        }
        if (passwordFile != null) {
            // Read once, at start: a rotated secret is picked up by the next run, and every pool of this one agrees.
            password = PasswordFile.read("job-repository.password-file", passwordFile);
        }
        InvalidSettingException.requirePositive("job-repository.outage-timeout", outageTimeout);
        Redaction.registerSecret(password);
    }

    public static JobRepositorySettings of(String url) {
        return new JobRepositorySettings(
                url, DEFAULT_USERNAME, DEFAULT_PASSWORD, null, Duration.ofSeconds(DEFAULT_OUTAGE_TIMEOUT_SECONDS));
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    /**
     * The URL to connect with, for H2 with these settings unless the URL gives its own: H2 closes a database in its own
     * JVM shutdown hook, so a run stopping on SIGTERM could not save its checkpoints ({@code DB_CLOSE_ON_EXIT=FALSE}
     * leaves closing to us); and H2 writes its errors to a trace file beside the database, printing a stack trace on
     * standard error when it cannot ({@code TRACE_LEVEL_FILE=0}: the error reaches the user as this tool's one line).
     */
    public String connectionUrl() {
        if (!isH2()) {
            return url;
        }
        String withSettings = url;
        for (String setting : List.of("DB_CLOSE_ON_EXIT=FALSE", "TRACE_LEVEL_FILE=0")) {
            if (!url.toUpperCase(Locale.ROOT).contains(setting.substring(0, setting.indexOf('=')) + "=")) {
                withSettings += ";" + setting;
            }
        }
        return withSettings;
    }

    /** The password to connect with: the file's, read when these settings were made, when one is given. */
    public String effectivePassword() {
        return password;
    }
}
