package dev.redisombatch.batch.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.redisombatch.batch.failure.Redaction;
import dev.redisombatch.batch.ops.StatusLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logging of the tool, set up in code when Logback starts (found through {@code ServiceLoader}): one line per
 * event on standard error, so that standard output carries only results; passwords masked whoever logged them; a
 * failure's causes as one line, never a stack trace; our own INFO, other libraries' warnings, and nothing from Spring
 * Batch, whose failures the tool reports itself. {@code logging.level.<logger>=<level>} options change levels.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** The tool's own logger, the parent of every class's; {@code --verbose} sets it to DEBUG. */
    static final String OWN_LOGGER = "dev.redisombatch";

    private static final Map<String, Level> DEFAULT_LEVELS = Map.of(
            Logger.ROOT_LOGGER_NAME,
            Level.WARN,
            OWN_LOGGER,
            Level.INFO,
            "org.springframework.batch",
            Level.OFF,
            // The pool and the transaction template log what then fails the call; the tool says it in one line
            // (a job repository that cannot be reached is one WARN line per outage).
            "com.zaxxer.hikari",
            Level.OFF,
            "org.springframework.transaction.support.TransactionTemplate",
            Level.OFF,
            // Netty logs a stack trace when a connect attempt is still running as the client shuts down after a
            // failure the tool has already reported in one line.
            "io.netty.util.concurrent.DefaultPromise.rejectedExecution",
            Level.OFF);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        OneLineLayout layout = new OneLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new BelowProgressBar();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console);
        DEFAULT_LEVELS.forEach((logger, level) -> context.getLogger(logger).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Applies {@code logging.level.*} options: logger name to level name ({@code off}, {@code debug}...). */
    static void applyLevels(Map<String, String> levels) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            levels.forEach((logger, level) -> context.getLogger(
                            logger.equalsIgnoreCase("root") ? Logger.ROOT_LOGGER_NAME : logger)
                    .setLevel(Level.toLevel(level, Level.INFO)));
        }
    }

    /** Writes each event above the progress bar when one is drawn, never into it ({@link StatusLine}). */
    static final class BelowProgressBar extends ConsoleAppender<ILoggingEvent> {

        @Override
        protected void subAppend(ILoggingEvent event) {
            StatusLine.aroundLog(() -> super.subAppend(event));
        }
    }

    /** {@code HH:mm:ss.SSS LEVEL message: cause: cause}, masked. */
    static final class OneLineLayout extends LayoutBase<ILoggingEvent> {

        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128);
            line.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
            String level = event.getLevel().toString();
            line.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
            StringBuilder message = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
                message.append(": ")
                        .append(
                                cause.getMessage() == null
                                        ? cause.getClassName()
                                        : cause.getMessage().lines().findFirst().orElse(""));
            }
            line.append(Redaction.mask(message.toString())).append(System.lineSeparator());
            return line.toString();
        }
    }
}
