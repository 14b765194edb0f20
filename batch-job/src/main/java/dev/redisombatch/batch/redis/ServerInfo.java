package dev.redisombatch.batch.redis;

import java.util.Optional;

/** Reads fields out of the text that INFO returns. */
public final class ServerInfo {

    private ServerInfo() {}

    public static String runId(String infoServer) {
        return field(infoServer, "run_id");
    }

    public static String field(String info, String name) {
        return fieldIfPresent(info, name)
                .orElseThrow(() -> new IllegalStateException("INFO reply has no " + name + " field"));
    }

    public static Optional<String> fieldIfPresent(String info, String name) {
        String prefix = name + ":";
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return Optional.of(line.substring(prefix.length()).trim());
            }
        }
        return Optional.empty();
    }
}
