import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The simplest fast client for the datetime migration, as a yardstick for bench/run.sh: one thread, one connection,
 * a raw RESP2 client. For each SCAN page (MATCH pattern COUNT 1000 TYPE hash): one pipelined batch of HMGET key field,
 * then one pipelined batch of HSET key field unix-seconds for the values that are ISO-8601 (date, or date T hh:mm[:ss
 * [.fraction]] with Z, an offset or nothing; naive values and dates read as UTC). Anything else is left alone.
 *
 *   java bench/PipelinedBaseline.java --port P [--host H] --pattern ':app.models.User:*' --field created_at [--count N]
 *
 * Prints one line: keys, changed, seconds, keys/s, this JVM's CPU seconds during the walk (process CPU, all threads)
 * and the server's CPU seconds during the walk (INFO cpu used_cpu_user + used_cpu_sys, read on this connection).
 */
public class PipelinedBaseline {

    private final InputStream in;
    private final OutputStream out;

    PipelinedBaseline(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1", pattern = null, field = null;
        int port = 6379, count = 1000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--pattern" -> pattern = args[i + 1];
                case "--field" -> field = args[i + 1];
                case "--count" -> count = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (pattern == null || field == null) {
            throw new IllegalArgumentException("--pattern and --field are required");
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Socket socket = new Socket(host, port)) {
            PipelinedBaseline redis = new PipelinedBaseline(socket);
            double serverBefore = redis.serverCpu();
            long cpuBefore = os.getProcessCpuTime(), start = System.nanoTime(), keys = 0, changed = 0;
            String cursor = "0";
            List<byte[]> page = new ArrayList<>();
            List<String> values = new ArrayList<>();
            do {
                redis.send("SCAN", cursor, "MATCH", pattern, "COUNT", Integer.toString(count), "TYPE", "hash");
                List<?> reply = (List<?>) redis.flushAndRead();
                cursor = new String((byte[]) reply.get(0), StandardCharsets.US_ASCII);
                page.clear();
                for (Object key : (List<?>) reply.get(1)) {
                    page.add((byte[]) key);
                    redis.send("HMGET".getBytes(), (byte[]) key, field.getBytes());
                }
                redis.out.flush();
                values.clear();
                for (int i = 0; i < page.size(); i++) {
                    byte[] value = (byte[]) ((List<?>) redis.read()).get(0);
                    values.add(value == null ? null : unixSeconds(new String(value, StandardCharsets.US_ASCII)));
                }
                int writes = 0;
                for (int i = 0; i < page.size(); i++) {
                    if (values.get(i) != null) {
                        redis.send("HSET".getBytes(), page.get(i), field.getBytes(), values.get(i).getBytes());
                        writes++;
                    }
                }
                redis.out.flush();
                for (int i = 0; i < writes; i++) {
                    redis.read();
                }
                keys += page.size();
                changed += writes;
            } while (!cursor.equals("0"));
            double seconds = (System.nanoTime() - start) / 1e9, cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
            double server = redis.serverCpu() - serverBefore;
            System.out.printf(Locale.ROOT, "baseline: %d keys, %d changed, %.2f s, %.0f keys/s,"
                    + " cpu %.3f s (%.2f us/key), server cpu %.3f s (%.2f us/key)%n", keys, changed, seconds,
                    keys / seconds, cpu, cpu / keys * 1e6, server, server / keys * 1e6);
        }
    }

    /** Unix seconds as Redis OM Python writes them (str(float): "1705314600.0"), or null when not ISO-8601. */
    static String unixSeconds(String s) {
        int n = s.length();
        if (n < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        int year = number(s, 0, 4), month = number(s, 5, 2), day = number(s, 8, 2);
        int hour = 0, minute = 0, second = 0, offset = 0, i = 10;
        String fraction = "";
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
            return null;
        }
        if (n > 10) {
            if ((s.charAt(10) != 'T' && s.charAt(10) != ' ') || n < 16 || s.charAt(13) != ':') {
                return null;
            }
            hour = number(s, 11, 2);
            minute = number(s, 14, 2);
            i = 16;
            if (i < n && s.charAt(i) == ':') {
                second = number(s, 17, 2);
                i = 19;
                if (i < n && s.charAt(i) == '.') {
                    int from = ++i;
                    while (i < n && Character.isDigit(s.charAt(i))) {
                        i++;
                    }
                    fraction = s.substring(from, i).replaceAll("0+$", "");
                }
            }
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || i > n) {
                return null;
            }
            if (i < n && s.charAt(i) == 'Z' && i + 1 == n) {
                i = n;
            } else if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                String zone = s.substring(i + 1).replace(":", "");
                int hh = zone.length() >= 2 ? number(zone, 0, 2) : -1, mm = zone.length() == 4 ? number(zone, 2, 2) : 0;
                if (hh < 0 || mm < 0 || (zone.length() != 2 && zone.length() != 4)) {
                    return null;
                }
                offset = (s.charAt(i) == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
                i = n;
            }
            if (i != n) {
                return null;
            }
        }
        long epoch;
        try {
            epoch = LocalDate.of(year, month, day).toEpochDay() * 86400 + hour * 3600 + minute * 60 + second - offset;
        } catch (DateTimeException e) { // February 30th and the like
            return null;
        }
        return fraction.isEmpty() ? epoch + ".0"
                : BigDecimal.valueOf(epoch).add(new BigDecimal("0." + fraction)).toPlainString();
    }

    /** The decimal number in s[from, from + length), or -1 when it is not all digits. */
    static int number(String s, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            if (i >= s.length() || !Character.isDigit(s.charAt(i))) {
                return -1;
            }
            value = value * 10 + (s.charAt(i) - '0');
        }
        return value;
    }

    double serverCpu() throws IOException {
        send("INFO", "cpu");
        double total = 0;
        for (String line : new String((byte[]) flushAndRead(), StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                total += Double.parseDouble(line.substring(line.indexOf(':') + 1));
            }
        }
        return total;
    }

    void send(String... args) throws IOException {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        send(bytes);
    }

    /** One command as a RESP2 array of bulk strings, into the output buffer (not flushed). */
    void send(byte[]... args) throws IOException {
        out.write('*');
        writeNumber(args.length);
        for (byte[] arg : args) {
            out.write('$');
            writeNumber(arg.length);
            out.write(arg);
            out.write('\r');
            out.write('\n');
        }
    }

    private void writeNumber(long value) throws IOException {
        out.write(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    Object flushAndRead() throws IOException {
        out.flush();
        return read();
    }

    /** One RESP2 reply: byte[] (null for a null bulk), Long, String (status) or List; an error reply throws. */
    Object read() throws IOException {
        int type = in.read();
        switch (type) {
            case '+' -> { return line(); }
            case '-' -> throw new IOException("Redis: " + line());
            case ':' -> { return Long.parseLong(line()); }
            case '$' -> {
                int length = Integer.parseInt(line());
                if (length < 0) {
                    return null;
                }
                byte[] bulk = in.readNBytes(length + 2);
                if (bulk.length < length + 2) {
                    throw new EOFException();
                }
                return Arrays.copyOf(bulk, length);
            }
            case '*' -> {
                int length = Integer.parseInt(line());
                List<Object> items = new ArrayList<>(Math.max(length, 0));
                for (int i = 0; i < length; i++) {
                    items.add(read());
                }
                return length < 0 ? null : items;
            }
            case -1 -> throw new EOFException("connection closed");
            default -> throw new IOException("unexpected RESP type byte " + type);
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new EOFException();
            }
            line.append((char) c);
        }
        in.read(); // '\n'
        return line.toString();
    }
}
