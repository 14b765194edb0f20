package dev.redisombatch.batch.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisombatch.batch.support.ClientShutdown;
import dev.redisombatch.batch.support.RedisServer;
import dev.redisombatch.batch.support.ServerBinaries;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hashes read from the payloads real servers {@code DUMP} and written as payloads they {@code RESTORE}: every listpack
 * entry encoding, every RDB string encoding (plain, integer, LZF), both hash forms, bytes that are not UTF-8, on the
 * Redis and the Valkey the tests run. A payload that is no plain hash is not read.
 */
class HashPayloadTest {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    @RegisterExtension
    static final RedisServer valkey = RedisServer.of(ServerBinaries.VALKEY);

    @Test
    void theCrcIsRedisCrc64() {
        assertThat(Crc64.of(bytes("123456789"), 9)).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void readsAndRebuildsEveryShapeOfHashOnRedis() {
        assertReadAndRebuilt(redis);
    }

    @Test
    void readsAndRebuildsEveryShapeOfHashOnValkey() {
        assertReadAndRebuilt(valkey);
    }

    @Test
    void readsNoPayloadOfAnotherTypeNorABrokenOne() {
        try (Session session = new Session(redis)) {
            RedisCommands<byte[], byte[]> commands = session.commands;
            commands.flushall();
            commands.set(bytes("string"), bytes("text"));
            commands.rpush(bytes("list"), bytes("a"), bytes("b"));
            commands.hset(bytes("hash"), Map.of(bytes("name"), bytes("Ada"), bytes("age"), bytes("36")));
            assertThat(HashPayload.read(commands.dump(bytes("string")))).isNull();
            assertThat(HashPayload.read(commands.dump(bytes("list")))).isNull();
            byte[] hash = commands.dump(bytes("hash"));
            assertThat(HashPayload.read(hash)).isNotNull();
            for (int cut = 0; cut < hash.length; cut++) {
                byte[] shorter = Arrays.copyOf(hash, cut);
                assertThat(HashPayload.read(shorter)).as("cut at %d", cut).isNull();
            }
        }
    }

    @Test
    void writesLengthsOfEveryRdbWidth() {
        try (Session session = new Session(redis)) {
            RedisCommands<byte[], byte[]> commands = session.commands;
            commands.flushall();
            byte[][] names = new byte[6][];
            byte[][] values = new byte[6][];
            int[] sizes = {0, 63, 64, 16383, 16384, 70000};
            for (int i = 0; i < sizes.length; i++) {
                names[i] = bytes("field-" + sizes[i]);
                values[i] = new byte[sizes[i]];
                Arrays.fill(values[i], (byte) ('a' + i));
            }
            commands.hset(bytes("probe"), bytes("f"), bytes("v"));
            int rdbVersion = HashPayload.read(commands.dump(bytes("probe"))).rdbVersion();
            commands.restore(bytes("written"), 0, new HashPayload(names, values, rdbVersion).write());
            Map<String, String> expected = new LinkedHashMap<>();
            for (int i = 0; i < sizes.length; i++) {
                expected.put(text(names[i]), text(values[i]));
            }
            assertThat(texts(commands.hgetall(bytes("written")))).isEqualTo(expected);
        }
    }

    private static void assertReadAndRebuilt(RedisServer server) {
        try (Session session = new Session(server)) {
            RedisCommands<byte[], byte[]> commands = session.commands;
            commands.flushall();
            List<byte[]> keys = new ArrayList<>();
            for (String compression : List.of("yes", "no")) {
                commands.configSet("rdbcompression", compression);
                keys.addAll(hashesOfEveryShape(commands, compression));
            }
            commands.configSet("rdbcompression", "yes");
            commands.configSet("hash-max-listpack-value", "64");
            for (byte[] key : keys) {
                String name = text(key);
                byte[] dump = commands.dump(key);
                HashPayload read = HashPayload.read(dump);
                assertThat(read).as(name).isNotNull();
                Map<String, String> held = texts(commands.hgetall(key));
                assertThat(pairs(read)).as(name).isEqualTo(held);

                byte[] copy = bytes("rebuilt " + name);
                commands.restore(copy, 0, read.write());
                assertThat(texts(commands.hgetall(copy))).as(name).isEqualTo(held);
                // Loaded into the encoding HSET would have given the same fields on this server.
                byte[] made = bytes("made " + name);
                for (int i = 0; i < read.names().length; i++) {
                    commands.hset(made, read.names()[i], read.values()[i]);
                }
                assertThat(commands.objectEncoding(copy)).as(name).isEqualTo(commands.objectEncoding(made));
            }
        }
    }

    /** Hashes whose payloads use every encoding: in the listpack form (type 16) and the table form (type 4). */
    private static List<byte[]> hashesOfEveryShape(RedisCommands<byte[], byte[]> commands, String compression) {
        List<byte[]> keys = new ArrayList<>();
        long[] integers = {
            0,
            127,
            128,
            -1,
            -4096,
            4095,
            4096,
            -4097,
            32767,
            -32768,
            32768,
            8388607,
            -8388608,
            8388608,
            2147483647L,
            -2147483648L,
            2147483648L,
            Long.MAX_VALUE,
            Long.MIN_VALUE
        };
        String repeated = "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc";
        for (String size : List.of("64", "100000")) {
            // 64: long strings push the hash to the table form; 100000: it stays a listpack with them.
            commands.configSet("hash-max-listpack-value", size);
            byte[] key = bytes("user:" + compression + ":" + size);
            Map<byte[], byte[]> fields = new LinkedHashMap<>();
            for (long integer : integers) {
                fields.put(bytes("int " + integer), bytes(Long.toString(integer)));
            }
            fields.put(bytes("empty"), new byte[0]);
            fields.put(bytes("not utf-8"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, (byte) 0x80});
            fields.put(new byte[] {(byte) 0xc3, 0x28}, bytes("a field name that is not UTF-8"));
            fields.put(bytes("s63"), bytes("x".repeat(63)));
            fields.put(bytes("s64"), bytes("q".repeat(64)));
            fields.put(bytes("s4095"), bytes(random(4095)));
            fields.put(bytes("s4096"), bytes(random(4096)));
            fields.put(bytes("compressible"), bytes(repeated.repeat(100)));
            fields.put(bytes("created_at"), bytes("2024-03-01T10:15:30Z"));
            fields.put(bytes("small"), bytes(repeated));
            commands.hset(key, fields);
            keys.add(key);
        }
        commands.configSet("hash-max-listpack-value", "64");
        byte[] small = bytes("small:" + compression);
        commands.hset(small, Map.of(bytes("name"), bytes("Ada Lovelace"), bytes("age"), bytes("36")));
        keys.add(small);
        byte[] many = bytes("many:" + compression);
        Map<byte[], byte[]> fields = new LinkedHashMap<>();
        for (int i = 0; i < 1_000; i++) {
            fields.put(bytes("field " + i), bytes(i % 3 == 0 ? Integer.toString(i * 7919) : "value of field " + i));
        }
        commands.hset(many, fields);
        keys.add(many);
        return keys;
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        Random random = new Random(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static Map<String, String> pairs(HashPayload read) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < read.names().length; i++) {
            pairs.put(text(read.names()[i]), text(read.values()[i]));
        }
        return pairs;
    }

    private static Map<String, String> texts(Map<byte[], byte[]> hash) {
        Map<String, String> texts = new LinkedHashMap<>();
        hash.forEach((name, value) -> texts.put(text(name), text(value)));
        return texts;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** One character per byte, so that any bytes compare. */
    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static final class Session implements AutoCloseable {

        final RedisClient client;
        final StatefulRedisConnection<byte[], byte[]> connection;
        final RedisCommands<byte[], byte[]> commands;

        Session(RedisServer server) {
            client = RedisClient.create(server.url());
            connection = client.connect(ByteArrayCodec.INSTANCE);
            commands = connection.sync();
        }

        @Override
        public void close() {
            connection.close();
            ClientShutdown.of(client);
        }
    }
}
