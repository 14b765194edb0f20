package dev.redisombatch.batch.redis;

import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;

/** A command name for Lettuce's {@code dispatch}: its {@code CommandType} has no module commands (FT.*, JSON.*). */
public record CommandName(String name) implements ProtocolKeyword {

    @Override
    public byte[] getBytes() {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return name;
    }
}
