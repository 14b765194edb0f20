package dev.redisombatch.batch.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScanLayoutTest {

    /** The fields of INFO server that matter here, as the servers print them (Valkey 8.0.1 and Redis 7.0.15 seen). */
    private static String info(String... fields) {
        return "# Server\r\n" + String.join("\r\n", fields) + "\r\nrun_id:806d4812254d50ff4f831079f2f2c39dc4f00a4b\r\n";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Valkey 8.0.1 cluster node | redis_version:7.2.4,server_name:valkey,valkey_version:8.0.1,server_mode:cluster"
                        + " | SLOT_TABLES",
                "Valkey 8.0.1 standalone | redis_version:7.2.4,server_name:valkey,valkey_version:8.0.1,server_mode:standalone"
                        + " | ONE_TABLE",
                "Valkey 7.2.5 cluster node | redis_version:7.2.4,server_name:valkey,valkey_version:7.2.5,redis_mode:cluster"
                        + " | ONE_TABLE",
                "Redis 7.0.15 cluster node | redis_version:7.0.15,redis_mode:cluster | ONE_TABLE",
                "Redis 7.2.4 cluster node | redis_version:7.2.4,redis_mode:cluster | ONE_TABLE",
                "Redis 7.4.1 cluster node | redis_version:7.4.1,redis_mode:cluster | SLOT_TABLES",
                "Redis 8.4.0 cluster node | redis_version:8.4.0,redis_mode:cluster | SLOT_TABLES",
                "Redis 8.4.0 standalone | redis_version:8.4.0,redis_mode:standalone | ONE_TABLE",
                "Redis 8 sentinel | redis_version:8.0.0,redis_mode:sentinel | ONE_TABLE",
                "Redis 8 that names no mode | redis_version:8.0.0 | UNKNOWN",
                "Redis 6 that names no mode | redis_version:6.2.14 | ONE_TABLE",
                "another server | redis_version:7.0.0,server_name:otherdb,redis_mode:cluster | UNKNOWN",
                "no version | redis_mode:cluster | UNKNOWN",
                "a version not understood | redis_version:unstable,redis_mode:cluster | UNKNOWN",
                "Valkey naming no Valkey version | redis_version:7.2.4,server_name:valkey,server_mode:cluster | UNKNOWN"
            })
    void isToldFromTheServersNameVersionAndMode(String server, String fields, ScanLayout expected) {
        assertEquals(expected, ScanLayout.of(info(fields.split(","))), server);
    }
}
