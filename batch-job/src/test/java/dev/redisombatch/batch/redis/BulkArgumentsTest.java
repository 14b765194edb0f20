package dev.redisombatch.batch.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A command written from {@link BulkArguments} is byte for byte the one Lettuce writes from its own arguments. */
class BulkArgumentsTest {

    private static final String SHA = "e0e1f9fabfc9d4800c877a703b823ac0578ff831";

    @Test
    void anEvalshaIsWrittenAsLettuceWritesItForValuesOfEveryLengthWidth() {
        SplittableRandom random = new SplittableRandom(3);
        List<byte[]> values = new ArrayList<>();
        for (int length : new int[] {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 1023, 1024, 65_536, 1_000_000}) {
            byte[] value = new byte[length];
            random.nextBytes(value);
            values.add(value);
        }
        values.add(KeyText.decimal(7));
        values.add(KeyText.decimal(-1));
        values.add(bytes("\r\n$3\r\n"));
        byte[][] keys = {bytes("counter"), new byte[] {0, (byte) 0xff, '\r', '\n'}};
        List<byte[]> call = new ArrayList<>(List.of(bytes(SHA), bytes("2"), keys[0], keys[1]));
        call.addAll(values);

        assertThat(encoded(CommandType.EVALSHA, new BulkArguments(keys[0], call)))
                .isEqualTo(encoded(
                        CommandType.EVALSHA,
                        new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                .add(SHA)
                                .add(keys.length)
                                .addKeys(keys)
                                .addValues(values.toArray(byte[][]::new))));
    }

    @Test
    void anHmgetIsWrittenAsLettuceWritesIt() {
        byte[] key = bytes(":app.models.User:01HZX");
        byte[][] fields = {bytes("created_at"), bytes("ü")};
        assertThat(new String(
                        encoded(CommandType.HMGET, new BulkArguments(key, List.of(key, fields[0], fields[1]))),
                        StandardCharsets.UTF_8))
                .isEqualTo("*4\r\n$5\r\nHMGET\r\n$22\r\n:app.models.User:01HZX\r\n$10\r\ncreated_at\r\n$2\r\nü\r\n")
                .isEqualTo(new String(
                        encoded(
                                CommandType.HMGET,
                                new CommandArgs<>(ByteArrayCodec.INSTANCE)
                                        .addKey(key)
                                        .addKeys(fields)),
                        StandardCharsets.UTF_8));
    }

    @Test
    void isRoutedByTheKeyGivenAsLettuceRoutesByItsFirstKey() {
        byte[][] keys = {bytes("{user}:counter"), bytes("other")};
        BulkArguments arguments = new BulkArguments(keys[0], List.of(bytes(SHA), bytes("2"), keys[0], keys[1]));
        assertThat(arguments.getFirstEncodedKey())
                .isEqualTo(new CommandArgs<>(ByteArrayCodec.INSTANCE)
                        .add(SHA)
                        .add(2)
                        .addKeys(keys)
                        .getFirstEncodedKey());
        assertThat(arguments.count()).isEqualTo(4);
    }

    @Test
    void writesEveryLengthInDecimal() {
        for (int n : new int[] {0, 1, 9, 10, 99, 100, 12_345, 1_000_000, Integer.MAX_VALUE}) {
            ByteBuf buffer = Unpooled.buffer();
            BulkArguments.writeDecimal(buffer, n);
            assertThat(new String(ByteBufUtil.getBytes(buffer), StandardCharsets.US_ASCII))
                    .isEqualTo(Integer.toString(n));
            buffer.release();
        }
    }

    private static byte[] encoded(CommandType type, CommandArgs<byte[], byte[]> arguments) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            new Command<>(type, null, arguments).encode(buffer);
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
