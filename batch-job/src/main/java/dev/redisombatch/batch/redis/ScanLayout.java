package dev.redisombatch.batch.redis;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a server's SCAN cursor maps onto its keyspace, told from its {@code INFO server} reply (server name, version,
 * mode). Nothing here is assumed from the tool's own connection mode: a cluster node addressed as a plain server
 * still keeps one table per slot.
 *
 * <ul>
 * <li>{@link #ONE_TABLE}: one hash table walked in reverse-binary bucket order (standalone servers; cluster nodes of
 * Redis before 7.4 and of Valkey 7). The cursor's low bits name a fixed share of the keys.</li>
 * <li>{@link #SLOT_TABLES}: one table per hash slot (cluster nodes of Redis 7.4 and later, Valkey 8 and later); the
 * cursor carries the slot being walked in its low 14 bits and that slot's table cursor above them
 * (../shared/notes/hosted-redis.md, seen on Valkey 8.0.1).</li>
 * <li>{@link #UNKNOWN}: another server, or one that does not say enough; only a walk from cursor 0 back to 0 is known
 * to cover it.</li>
 * </ul>
 */
public enum ScanLayout {
    ONE_TABLE("one hash table"),
    SLOT_TABLES("one table per hash slot"),
    UNKNOWN("not recognised");

    /** Bits of a SLOT_TABLES cursor that hold the slot: 16384 slots. */
    public static final int SLOT_BITS = 14;

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.\\d+)*");

    private final String description;

    ScanLayout(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The layout of the server that sent this {@code INFO server} reply. */
    public static ScanLayout of(String infoServer) {
        String name = field(infoServer, "server_name").orElse("redis");
        Optional<int[]> version;
        int[] firstWithSlotTables;
        if (name.equals("valkey")) {
            version = field(infoServer, "valkey_version").map(ScanLayout::version);
            firstWithSlotTables = new int[] {8, 0};
        } else if (name.equals("redis")) {
            version = field(infoServer, "redis_version").map(ScanLayout::version);
            firstWithSlotTables = new int[] {7, 4};
        } else {
            return UNKNOWN;
        }
        if (version.isEmpty()) {
            return UNKNOWN;
        }
        if (compare(version.get(), firstWithSlotTables) < 0) {
            return ONE_TABLE; // one table in every mode
        }
        // Valkey names the mode server_mode, Redis redis_mode.
        Optional<String> mode = field(infoServer, "server_mode").or(() -> field(infoServer, "redis_mode"));
        if (mode.isEmpty()) {
            return UNKNOWN;
        }
        return mode.get().equals("cluster") ? SLOT_TABLES : ONE_TABLE;
    }

    private static int[] version(String text) {
        Matcher matcher = VERSION.matcher(text);
        return matcher.matches()
                ? new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))}
                : null;
    }

    private static int compare(int[] version, int[] other) {
        return version[0] != other[0] ? Integer.compare(version[0], other[0]) : Integer.compare(version[1], other[1]);
    }

    private static Optional<String> field(String info, String name) {
        return ServerInfo.fieldIfPresent(info, name);
    }
}
