package dev.redisombatch.batch.redis;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * The modules {@code INFO modules} lists, by name in lower case, with their versions ({@code ver}, as
     * {@code major * 10000 + minor * 100 + patch}).
     */
    public static Map<String, Long> modules(String infoModules) {
        Map<String, Long> modules = new LinkedHashMap<>();
        Matcher module = MODULE.matcher(infoModules);
        while (module.find()) {
            modules.put(module.group(1).toLowerCase(Locale.ROOT), Long.parseLong(module.group(2)));
        }
        return modules;
    }

    private static final Pattern MODULE = Pattern.compile("(?m)^module:name=([^,]+),ver=(\\d+)");

    public static Optional<String> fieldIfPresent(String info, String name) {
        // Line by line without a regular expression: a partition reads its server's run_id with every page.
        String prefix = name + ":";
        int line = 0;
        while (line < info.length()) {
            int end = info.indexOf('\n', line);
            if (end < 0) {
                end = info.length();
            }
            if (info.startsWith(prefix, line)) {
                return Optional.of(info.substring(line + prefix.length(), end).trim());
            }
            line = end + 1;
        }
        return Optional.empty();
    }

    /**
     * How many times a command was called, from {@code INFO commandstats} ({@code cmdstat_<command>:calls=N,...}; a
     * subcommand as {@code config|set}); empty when the server lists none (never called since its statistics were
     * reset, or a server that keeps no statistics per subcommand).
     */
    public static Optional<Long> calls(String commandStats, String command) {
        return fieldIfPresent(commandStats, "cmdstat_" + command).map(stats -> {
            // calls=3,usec=...
            return Long.parseLong(stats.substring(stats.indexOf('=') + 1, stats.indexOf(',')));
        });
    }
}
