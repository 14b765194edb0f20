package dev.redisombatch.batch.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerInfoTest {

    private static final String INFO_SERVER = String.join(
                    "\r\n",
                    "# Server",
                    "redis_version:7.2.4",
                    "redis_git_sha1:00000000",
                    "redis_mode:standalone",
                    "os:Linux 6.5.0-1016-azure x86_64",
                    "process_id:1",
                    "process_supervised:no",
                    "run_id:9b0f3c4e1d2a5b6c7d8e9f0a1b2c3d4e5f6a7b8c",
                    "tcp_port:6379",
                    "server_time_usec:1705314600123456",
                    "uptime_in_seconds:3600",
                    "executable:/data/redis-server",
                    "config_file:",
                    "")
            + "\r\n";

    @Test
    void readsTheRunId() {
        assertEquals("9b0f3c4e1d2a5b6c7d8e9f0a1b2c3d4e5f6a7b8c", ServerInfo.runId(INFO_SERVER));
    }

    @Test
    void readsOtherFieldsExactlyByName() {
        assertEquals("7.2.4", ServerInfo.field(INFO_SERVER, "redis_version"));
        assertEquals("6379", ServerInfo.field(INFO_SERVER, "tcp_port"));
        assertEquals("", ServerInfo.field(INFO_SERVER, "config_file"));
        assertEquals("1", ServerInfo.field(INFO_SERVER.replace("\r\n", "\n"), "process_id"));
        assertEquals("2", ServerInfo.field("a:1\r\nb:2", "b"), "the last line, without a line end");
        assertTrue(ServerInfo.fieldIfPresent("xrun_id:1\r\n", "run_id").isEmpty());
    }

    @Test
    void aMissingFieldIsNamed() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> ServerInfo.runId("# Server\r\nredis_version:7.2.4\r\n"));
        assertTrue(e.getMessage().contains("run_id"), e.getMessage());
    }

    @Test
    void readsTheModulesWithTheirVersions() {
        String info = "# Modules\r\n"
                + "module:name=ReJSON,ver=20406,api=1,filters=0,usedby=[search],using=[],options=[]\r\n"
                + "module:name=search,ver=20637,api=1,filters=0,usedby=[],using=[ReJSON],options=[]\r\n";

        assertEquals(java.util.Map.of("rejson", 20406L, "search", 20637L), ServerInfo.modules(info));
        assertTrue(ServerInfo.modules("# Modules\r\n").isEmpty());
    }
}
