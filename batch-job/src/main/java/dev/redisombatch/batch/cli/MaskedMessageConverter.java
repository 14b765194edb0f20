package dev.redisombatch.batch.cli;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.redisombatch.batch.failure.Redaction;

/**
 * The log pattern's {@code %maskedMessage}: the message with passwords masked, whoever logged it (Lettuce and
 * Spring name URLs in their messages too).
 */
public final class MaskedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Redaction.mask(super.convert(event));
    }
}
