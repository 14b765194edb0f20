package dev.redisombatch.batch.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ports the servers the tests start listen on: any free ephemeral port, or, when {@value #VARIABLE} names a range
 * ({@code 20000-20999}), a free port in it, for machines whose firewall or neighbours want the tests kept to a range.
 * A cluster node also needs its bus port (port + 10000) free; that one may lie outside the range.
 */
public final class ServerPorts {

    public static final String VARIABLE = "SERVER_PORT_RANGE";
    /** Where cluster nodes go without a range: below Linux's default ephemeral range (32768-60999), bus ports too. */
    private static final Range CLUSTER_DEFAULT = new Range(12000, 22699);

    private static final int ATTEMPTS = 1000;

    private ServerPorts() {}

    /** An inclusive range of ports. */
    record Range(int lowest, int highest) {

        /**
         * Reads {@code LOW-HIGH}.
         *
         * @throws IllegalArgumentException naming the variable, for anything else
         */
        static Range parse(String text) {
            String[] bounds = text.strip().split("-", -1);
            try {
                if (bounds.length == 2) {
                    Range range = new Range(Integer.parseInt(bounds[0].strip()), Integer.parseInt(bounds[1].strip()));
                    if (range.lowest >= 1024 && range.lowest <= range.highest && range.highest <= 65535) {
                        return range;
                    }
                }
            } catch (NumberFormatException notANumber) {
                // said below, with the variable's name
            }
            throw new IllegalArgumentException(VARIABLE + "=" + text
                    + ": expected LOW-HIGH, two ports from 1024 to 65535 with LOW <= HIGH, e.g. 20000-20999");
        }

        int random() {
            return ThreadLocalRandom.current().nextInt(lowest, highest + 1);
        }
    }

    /** A port free right now on 127.0.0.1: in the configured range, or any ephemeral one without a range. */
    public static int free() throws IOException {
        Range range = configured();
        if (range == null) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
        return pick(range, 0, Set.of());
    }

    /**
     * A port P, not in {@code taken}, such that P and P + {@code busOffset} are free right now: in the configured range,
     * or in a fixed range below the ephemeral ports without one.
     */
    public static int freeWithBus(int busOffset, Set<Integer> taken) {
        Range range = configured();
        return pick(range == null ? CLUSTER_DEFAULT : range, busOffset, taken);
    }

    private static int pick(Range range, int busOffset, Set<Integer> taken) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = range.random();
            if (!taken.contains(port)
                    && ChildProcesses.canBind(port)
                    && (busOffset == 0 || port + busOffset <= 65535 && ChildProcesses.canBind(port + busOffset))) {
                return port;
            }
        }
        throw new IllegalStateException("no free port" + (busOffset == 0 ? "" : " pair (P, P+" + busOffset + ")")
                + " between " + range.lowest() + " and " + range.highest() + " after " + ATTEMPTS + " tries");
    }

    private static Range configured() {
        String text = System.getenv(VARIABLE);
        return text == null || text.isBlank() ? null : Range.parse(text);
    }
}
