package dev.redisombatch.batch.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A command's arguments, all bytes, written straight into the command's buffer, for the commands sent once or several
 * times per document (HMGET, the write script's EVALSHA). Lettuce wraps each argument in an object of its own and
 * writes each length of ten or more through {@code Long.toString}: encoding took about a third of its event loop's
 * CPU in a run over 2M hashes (docs/performance.md). The key a cluster connection routes the command by is given
 * apart: it is the first argument of HMGET, the third of EVALSHA.
 */
public final class BulkArguments extends CommandArgs<byte[], byte[]> {

    private static final short CRLF = ('\r' << 8) | '\n';
    /** The most a length's header and trailer add to an argument: '$', ten digits, two line ends. */
    private static final int MOST_FRAMING = 15;

    private final List<byte[]> arguments;

    /**
     * @param routingKey the key a cluster connection sends the command to the master of; it must be one of the
     *     arguments
     */
    public BulkArguments(byte[] routingKey, List<byte[]> arguments) {
        super(ByteArrayCodec.INSTANCE);
        addKey(routingKey);
        this.arguments = arguments;
    }

    @Override
    public int count() {
        return arguments.size();
    }

    @Override
    public void encode(ByteBuf buffer) {
        int most = 0;
        for (int i = 0; i < arguments.size(); i++) {
            most += arguments.get(i).length + MOST_FRAMING;
        }
        // One growth of the buffer instead of one per doubling: a write batch is some 200 bytes per document.
        buffer.ensureWritable(most);
        for (int i = 0; i < arguments.size(); i++) {
            byte[] argument = arguments.get(i);
            if (argument.length < SHARED_HEADERS) {
                buffer.writeBytes(BULK_HEADERS[argument.length]);
            } else {
                buffer.writeByte('$');
                writeDecimal(buffer, argument.length);
                buffer.writeShort(CRLF);
            }
            buffer.writeBytes(argument);
            buffer.writeShort(CRLF);
        }
    }

    /** Most arguments are short (counts, flags, keys, a field's name or value): their headers are written whole. */
    private static final int SHARED_HEADERS = 1024;

    private static final byte[][] BULK_HEADERS = new byte[SHARED_HEADERS][];

    static {
        for (int length = 0; length < SHARED_HEADERS; length++) {
            BULK_HEADERS[length] = ("$" + length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** A length as RESP spells it, without making a string of it. */
    static void writeDecimal(ByteBuf buffer, int n) {
        int unit = 1;
        while (unit <= n / 10) {
            unit *= 10;
        }
        for (; unit > 0; unit /= 10) {
            buffer.writeByte('0' + n / unit % 10);
        }
    }

    @Override
    public String toCommandString() {
        return "<" + arguments.size() + " arguments>";
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + toCommandString();
    }
}
