package dev.redisombatch.batch.state;

import java.net.InetAddress;

/** Who ran a command, as records keep it: {@code user@host (redis-om-batch)}. */
public final class RanBy {

    private RanBy() {}

    public static String describe() {
        return System.getProperty("user.name", "unknown") + "@" + hostName() + " (redis-om-batch)";
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }
}
