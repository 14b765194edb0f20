package dev.redisombatch.batch.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The replies recorded from RediSearch 2.6.37 on this kind of machine (copied from shared/redisearch into the test
 * resources). redis-cli printed them flat, one value per line; {@link #ftInfo} puts back the nesting RESP2 delivers,
 * which the recording's own layout shows: {@code index_definition} up to {@code attributes}, one attribute list per
 * {@code identifier}, and the three *_stats lists.
 */
final class RecordedReplies {

    private static final String FILE = "/redisearch/ft-2.6.37-resp2.txt";

    private RecordedReplies() {}

    static String text() throws IOException {
        try (InputStream in = RecordedReplies.class.getResourceAsStream(FILE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The lines printed after the line that starts with {@code command}, up to the next {@code $ } line. */
    static List<String> section(String command) throws IOException {
        List<String> lines = text().lines().toList();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("$ " + command)) {
                start = i + 1;
                break;
            }
        }
        if (start < 0) {
            throw new IllegalStateException("no recorded reply for " + command);
        }
        List<String> section = new ArrayList<>();
        for (int i = start;
                i < lines.size()
                        && !lines.get(i).startsWith("$ ")
                        && !lines.get(i).startsWith("# ");
                i++) {
            section.add(lines.get(i));
        }
        while (!section.isEmpty() && section.get(section.size() - 1).isEmpty()) {
            section.remove(section.size() - 1);
        }
        return section;
    }

    /** The recorded {@code FT.INFO :app.models.User:index} reply, nested as it arrives over RESP2. */
    static List<Object> ftInfo() throws IOException {
        List<String> flat = section("FT.INFO :app.models.User:index   (RESP2)");
        List<Object> reply = new ArrayList<>();
        int i = 0;
        while (i < flat.size()) {
            String key = flat.get(i++);
            reply.add(key);
            switch (key) {
                case "index_options" -> {
                    reply.add(List.of());
                    i++; // redis-cli prints an empty list as an empty line
                }
                case "index_definition" -> {
                    int end = flat.indexOf("attributes");
                    reply.add(indexDefinition(flat.subList(i, end)));
                    i = end;
                }
                case "attributes" -> {
                    int end = flat.indexOf("num_docs");
                    reply.add(attributes(flat.subList(i, end)));
                    i = end;
                }
                case "gc_stats", "cursor_stats", "dialect_stats" -> {
                    int end = nextOf(flat, i, List.of("cursor_stats", "dialect_stats"));
                    reply.add(new ArrayList<Object>(flat.subList(i, end)));
                    i = end;
                }
                default -> reply.add(flat.get(i++));
            }
        }
        return reply;
    }

    private static List<Object> indexDefinition(List<String> flat) {
        List<Object> definition = new ArrayList<>();
        for (int i = 0; i < flat.size(); i++) {
            definition.add(flat.get(i));
            if (flat.get(i).equals("prefixes")) {
                int end = flat.indexOf("default_score");
                definition.add(new ArrayList<Object>(flat.subList(i + 1, end)));
                i = end - 1;
            }
        }
        return definition;
    }

    private static List<Object> attributes(List<String> flat) {
        List<Object> attributes = new ArrayList<>();
        List<Object> current = null;
        for (String word : flat) {
            if (word.equals("identifier")) {
                current = new ArrayList<>();
                attributes.add(current);
            }
            current.add(word);
        }
        return attributes;
    }

    private static int nextOf(List<String> flat, int from, List<String> keys) {
        for (int i = from; i < flat.size(); i++) {
            if (keys.contains(flat.get(i))) {
                return i;
            }
        }
        return flat.size();
    }
}
