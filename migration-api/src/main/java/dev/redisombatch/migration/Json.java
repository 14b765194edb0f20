package dev.redisombatch.migration;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Just enough JSON for a migration of JSON documents to read and write values without a JSON library: a value is
 * passed around as its JSON text ({@code "Paris"}, {@code 1705314600}, {@code {"city":"Paris"}}), found by a path.
 *
 * <p>A path names members from the top of the document, separated by dots, with array elements in brackets:
 * {@code created_at}, {@code address.since}, {@code orders[0].created_at}. In {@link #expand} a bracket may hold
 * {@code *} for every element. A member whose name holds {@code .}, {@code [} or {@code ]} cannot be named.
 */
public final class Json {

    // Compiled once: a migration may ask about every element of a large array.
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Pattern INDEX = Pattern.compile("\\d{1,9}");

    private Json() {}

    /** The members of a JSON object, in their order, each as JSON text. */
    public static Map<String, String> members(String object) {
        Map<String, String> members = new LinkedHashMap<>();
        int i = skipSpace(object, 0);
        expect(object, i, '{');
        i = skipSpace(object, i + 1);
        if (object.charAt(i) == '}') {
            return members;
        }
        while (true) {
            int nameEnd = skipString(object, i);
            String name = unquote(object.substring(i, nameEnd)).orElseThrow();
            i = skipSpace(object, nameEnd);
            expect(object, i, ':');
            int valueStart = skipSpace(object, i + 1);
            int valueEnd = skipValue(object, valueStart);
            members.put(name, object.substring(valueStart, valueEnd));
            i = skipSpace(object, valueEnd);
            if (object.charAt(i) == '}') {
                return members;
            }
            expect(object, i, ',');
            i = skipSpace(object, i + 1);
        }
    }

    /** The JSON text at {@code path} in {@code json}; empty when there is nothing there. */
    public static Optional<String> at(String json, String path) {
        JsonIndex.Value value = new JsonIndex(json).at(path);
        return value == null ? Optional.empty() : Optional.of(value.json());
    }

    /**
     * The paths that {@code pattern} names in {@code json}, with every {@code [*]} replaced by each index the array
     * there has: {@code orders[*].created_at} gives {@code orders[0].created_at}, {@code orders[1].created_at}... for
     * the elements that have one. A pattern without {@code [*]} gives itself when there is something there.
     */
    public static List<String> expand(String json, String pattern) {
        return new JsonIndex(json).expand(pattern);
    }

    /**
     * {@code json} with the value at {@code path} replaced by {@code value} (JSON text), or added when the last step is
     * a member its object does not have yet.
     *
     * @throws IllegalArgumentException when the path's parent is not there
     */
    public static String set(String json, String path, String value) {
        JsonIndex index = new JsonIndex(json);
        return edited(index.text(), List.of(setEdit(index, path, value, new HashSet<>())));
    }

    /**
     * {@code json} with each path set in turn, as {@link #set} one after another would leave it; in one pass over the
     * text when no set reaches into what another one writes (the common case: many elements of one array).
     */
    static String setAll(String json, List<Map.Entry<String, String>> sets) {
        if (sets.size() > 1) {
            JsonIndex index = new JsonIndex(json);
            List<Edit> edits = new ArrayList<>(sets.size());
            Set<Integer> insertedInto = new HashSet<>();
            try {
                for (Map.Entry<String, String> set : sets) {
                    edits.add(setEdit(index, set.getKey(), set.getValue(), insertedInto));
                }
            } catch (IllegalArgumentException inOrder) {
                edits = null; // a parent an earlier set adds, or an error: one at a time says which
            }
            if (edits != null && apart(edits)) {
                return edited(index.text(), edits);
            }
        }
        String text = json;
        for (Map.Entry<String, String> set : sets) {
            text = set(text, set.getKey(), set.getValue());
        }
        return text.strip();
    }

    /** {@code json} without the member or element at {@code path}; unchanged when there is nothing there. */
    public static String remove(String json, String path) {
        return removeAll(json, List.of(path));
    }

    /**
     * {@code json} without each of {@code paths}, given in {@link #removalOrder}, as {@link #remove} one after another
     * would leave it; in one pass over the text unless one removal is inside another.
     */
    static String removeAll(String json, List<String> paths) {
        JsonIndex index = new JsonIndex(json);
        List<Edit> cuts = removalCuts(index, paths);
        if (cuts != null) {
            return edited(index.text(), cuts);
        }
        String text = index.text();
        for (String path : paths) {
            text = remove(text, path); // one path: never one inside another
        }
        return text;
    }

    /** An edit of a text: {@code [start, end)} replaced by {@code replacement}. */
    private record Edit(int start, int end, String replacement) {}

    /**
     * The edit that sets {@code path} to {@code value} in the indexed text. A member added to an object gets a comma
     * before it unless the object is empty and {@code insertedInto} (the ends of objects given a member already)
     * does not hold it.
     */
    private static Edit setEdit(JsonIndex index, String path, String value, Set<Integer> insertedInto) {
        List<Step> steps = steps(path);
        JsonIndex.Value target = index.find(steps, true);
        if (target != null) {
            return new Edit(target.start, target.end, value);
        }
        Step last = steps.get(steps.size() - 1);
        JsonIndex.Value parent = index.find(steps.subList(0, steps.size() - 1), true);
        if (parent == null || last.name == null || parent.opening() != '{') {
            throw new IllegalArgumentException("path " + path + ": its parent is not an object in the document");
        }
        int close = parent.end - 1;
        boolean first = insertedInto.add(close) && parent.children().length == 0;
        return new Edit(close, close, (first ? "" : ",") + quote(last.name) + ":" + value);
    }

    /**
     * The cuts that remove {@code paths}, in order, from the indexed text, each member or element with one comma beside
     * it, so that the rest stays valid JSON; null when one removal is inside another (removed one at a time, then).
     * Every path names the text as it was before any removal, which {@link #removalOrder} ensures.
     */
    private static List<Edit> removalCuts(JsonIndex index, List<String> paths) {
        Map<JsonIndex.Value, TreeSet<Integer>> present = new HashMap<>();
        List<Edit> cuts = new ArrayList<>(paths.size());
        List<int[]> removed = new ArrayList<>(paths.size());
        for (String path : paths) {
            List<Step> steps = steps(path);
            JsonIndex.Value parent = index.find(steps.subList(0, steps.size() - 1), true);
            if (parent == null) {
                continue;
            }
            int e = parent.indexOf(steps.get(steps.size() - 1), true);
            TreeSet<Integer> left = present.computeIfAbsent(parent, all -> positions(all.children().length));
            if (e < 0 || !left.remove(e)) {
                continue;
            }
            JsonIndex.Value[] entries = parent.children();
            Integer next = left.higher(e);
            Integer previous = left.lower(e);
            JsonIndex.Value entry = entries[e];
            removed.add(new int[] {entry.entryStart, entry.end});
            if (next != null) {
                cuts.add(new Edit(entry.entryStart, entries[next].entryStart, ""));
            } else if (previous != null) {
                cuts.add(new Edit(entries[previous].end, entry.end, ""));
            } else {
                cuts.add(new Edit(entry.entryStart, entry.end, ""));
            }
        }
        removed.sort(Comparator.comparingInt(span -> span[0]));
        for (int i = 1; i < removed.size(); i++) {
            if (removed.get(i)[0] < removed.get(i - 1)[1]) {
                return null;
            }
        }
        // Cuts next to one another overlap where a comma was cut with each: merged, they cut what both cut.
        cuts.sort(Comparator.comparingInt(Edit::start));
        List<Edit> merged = new ArrayList<>(cuts.size());
        for (Edit cut : cuts) {
            Edit previous = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (previous != null && cut.start <= previous.end) {
                merged.set(merged.size() - 1, new Edit(previous.start, Math.max(previous.end, cut.end), ""));
            } else {
                merged.add(cut);
            }
        }
        return merged;
    }

    private static TreeSet<Integer> positions(int count) {
        TreeSet<Integer> positions = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            positions.add(i);
        }
        return positions;
    }

    /** Whether no edit starts inside what another one replaces (edits at the same place stay in their order). */
    private static boolean apart(List<Edit> edits) {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).start < sorted.get(i - 1).end) {
                return false;
            }
        }
        return true;
    }

    /** {@code text} with {@code edits}, which do not overlap, made. */
    private static String edited(String text, List<Edit> edits) {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start));
        StringBuilder result = new StringBuilder(text.length() + 16 * edits.size());
        int from = 0;
        for (Edit edit : sorted) {
            result.append(text, from, edit.start).append(edit.replacement);
            from = edit.end;
        }
        return result.append(text, from, text.length()).toString();
    }

    /** {@code value} as a JSON string: {@code "Ada \"Lovelace\""}. */
    public static String quote(String value) {
        StringBuilder text = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (c < 0x20) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        return text.append('"').toString();
    }

    /** The text of a JSON string; empty when {@code json} is not a string. */
    public static Optional<String> unquote(String json) {
        String text = json.strip();
        if (text.length() < 2 || text.charAt(0) != '"') {
            return Optional.empty();
        }
        StringBuilder value = new StringBuilder(text.length());
        for (int i = 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char escaped = text.charAt(++i);
            switch (escaped) {
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'u' -> {
                    value.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> value.append(escaped);
            }
        }
        return Optional.of(value.toString());
    }

    /** Whether {@code json} is a JSON number. */
    public static boolean isNumber(String json) {
        String text = json.strip();
        return !text.isEmpty()
                && (text.charAt(0) == '-' || Character.isDigit(text.charAt(0)))
                && NUMBER.matcher(text).matches();
    }

    /**
     * Whether two JSON texts hold the same value: objects member by member in any order, arrays element by element,
     * numbers by value ({@code 1705314600} and {@code 1705314600.0} are the same: RedisJSON 1.x prints the one, 2.x the
     * other; so are {@code 0.1} and {@code 0.10000000000000001}, the same double), strings by their text whatever the escapes ({@code "\u00e9"} and {@code "é"}). Null only equals null.
     */
    public static boolean equivalent(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        String x = a.strip();
        String y = b.strip();
        if (x.isEmpty() || y.isEmpty() || x.charAt(0) != y.charAt(0) && !(isNumber(x) && isNumber(y))) {
            return x.equals(y);
        }
        switch (x.charAt(0)) {
            case '{' -> {
                Map<String, String> left = members(x);
                Map<String, String> right = members(y);
                return left.size() == right.size()
                        && left.entrySet().stream()
                                .allMatch(member -> equivalent(member.getValue(), right.get(member.getKey())));
            }
            case '[' -> {
                List<String> left = elements(x);
                List<String> right = elements(y);
                for (int i = 0; i < left.size(); i++) {
                    if (i >= right.size() || !equivalent(left.get(i), right.get(i))) {
                        return false;
                    }
                }
                return left.size() == right.size();
            }
            case '"' -> {
                return unquote(x).equals(unquote(y));
            }
            default -> {
                if (isNumber(x) && isNumber(y)) {
                    return sameNumber(x, y);
                }
                return x.equals(y);
            }
        }
    }

    /**
     * Integers by exact value (ids beyond 2^53 stay distinct); anything with a fraction or an exponent as the double
     * it stands for, since that is what RedisJSON keeps: ReJSON 1.x prints {@code 0.1} back as
     * {@code 0.10000000000000001}.
     */
    private static boolean sameNumber(String x, String y) {
        if (new BigDecimal(x).compareTo(new BigDecimal(y)) == 0) {
            return true;
        }
        boolean integers = x.matches("-?\\d+") && y.matches("-?\\d+");
        return !integers && Double.parseDouble(x) == Double.parseDouble(y);
    }

    /**
     * The order in which to remove {@code paths}, all named in one document as it was read, one after another so that
     * each still names what it named then: later array elements before earlier ones, members inside a value before the
     * value. {@link Change#applyTo} and the engine both remove in this order.
     */
    public static List<String> removalOrder(Collection<String> paths) {
        // Each path parsed once, not once per comparison.
        Map<String, List<Step>> steps = new HashMap<>(paths.size() * 2);
        paths.forEach(path -> steps.computeIfAbsent(path, Json::steps));
        List<String> ordered = new ArrayList<>(paths);
        ordered.sort(Comparator.comparing(steps::get, Json::compareSteps).reversed());
        return ordered;
    }

    /**
     * {@code path} in RedisJSON's legacy path syntax, which RedisJSON 1.x and 2.x both read the same way:
     * {@code address.since} is {@code .address.since}, {@code orders[0]} is {@code .orders[0]}, and a member whose
     * name is not an identifier goes in brackets, {@code ["first-name"]}.
     */
    public static String legacyPath(String path) {
        StringBuilder legacy = new StringBuilder();
        for (Step step : steps(path)) {
            if (step.index != null) {
                legacy.append('[').append(step.index).append(']');
            } else if (IDENTIFIER.matcher(step.name).matches()) {
                legacy.append('.').append(step.name);
            } else {
                legacy.append('[').append(quote(step.name)).append(']');
            }
        }
        return legacy.length() == 0 ? "." : legacy.toString();
    }

    /** The top-level member a path starts from: {@code address} for {@code address.since}. */
    public static String topMember(String path) {
        int end = 0;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
            end++;
        }
        return path.substring(0, end);
    }

    /** The rest of a path after its top-level member, relative to that member's value; empty for a member itself. */
    static String tail(String path) {
        String rest = path.substring(topMember(path).length());
        return rest.startsWith(".") ? rest.substring(1) : rest;
    }

    /** One step of a path: a member name, or an array index. */
    record Step(String name, Integer index) {}

    private static int compareSteps(List<Step> a, List<Step> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Step x = a.get(i);
            Step y = b.get(i);
            int order = x.index != null && y.index != null
                    ? Integer.compare(x.index, y.index)
                    : x.name != null && y.name != null ? x.name.compareTo(y.name) : x.name != null ? -1 : 1;
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** The entries of the object or array in {@code text[start, end)}: {entry start, value start, entry end}. */
    static List<int[]> entries(String text, int start, int end) {
        List<int[]> entries = new ArrayList<>();
        boolean object = text.charAt(start) == '{';
        int i = skipSpace(text, start + 1);
        if (i >= end - 1) {
            return entries;
        }
        while (true) {
            int entryStart = i;
            if (object) {
                i = skipSpace(text, skipString(text, i));
                expect(text, i, ':');
                i = skipSpace(text, i + 1);
            }
            int valueStart = i;
            int valueEnd = skipValue(text, i);
            entries.add(new int[] {entryStart, valueStart, valueEnd});
            i = skipSpace(text, valueEnd);
            if (i >= end - 1) {
                return entries;
            }
            expect(text, i, ',');
            i = skipSpace(text, i + 1);
        }
    }

    /** The name of the object member whose entry starts at {@code entryStart}. */
    static String memberName(String text, int entryStart) {
        return unquote(text.substring(entryStart, skipString(text, entryStart))).orElseThrow();
    }

    static List<Step> steps(String path) {
        List<Step> steps = new ArrayList<>();
        if (path.isEmpty()) {
            return steps;
        }
        for (String segment : path.split("\\.", -1)) {
            int bracket = segment.indexOf('[');
            String name = bracket < 0 ? segment : segment.substring(0, bracket);
            if (!name.isEmpty()) {
                steps.add(new Step(name, null));
            } else if (bracket != 0 || steps.isEmpty() && !path.startsWith("[")) {
                throw new IllegalArgumentException("path " + path + ": a member name is empty");
            }
            while (bracket >= 0) {
                int close = segment.indexOf(']', bracket);
                if (close < 0) {
                    throw new IllegalArgumentException("path " + path + ": a [ without its ]");
                }
                steps.add(new Step(null, index(path, segment.substring(bracket + 1, close))));
                bracket = segment.indexOf('[', close);
            }
        }
        return steps;
    }

    private static int index(String path, String text) {
        if (!INDEX.matcher(text).matches()) {
            throw new IllegalArgumentException("path " + path + ": [" + text + "] is not an array index");
        }
        return Integer.parseInt(text);
    }

    private static List<String> elements(String array) {
        List<String> elements = new ArrayList<>();
        int i = skipSpace(array, 1);
        if (array.charAt(i) == ']') {
            return elements;
        }
        while (true) {
            int end = skipValue(array, i);
            elements.add(array.substring(i, end));
            i = skipSpace(array, end);
            if (array.charAt(i) == ']') {
                return elements;
            }
            expect(array, i, ',');
            i = skipSpace(array, i + 1);
        }
    }

    private static int skipValue(String json, int i) {
        char c = json.charAt(i);
        if (c == '"') {
            return skipString(json, i);
        }
        if (c == '{' || c == '[') {
            char close = c == '{' ? '}' : ']';
            int depth = 0;
            for (int j = i; j < json.length(); j++) {
                char d = json.charAt(j);
                if (d == '"') {
                    j = skipString(json, j) - 1;
                } else if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    depth--;
                    if (depth == 0) {
                        if (d != close) {
                            throw new IllegalArgumentException("not JSON: " + d + " at " + j);
                        }
                        return j + 1;
                    }
                }
            }
            throw new IllegalArgumentException("not JSON: " + c + " at " + i + " is never closed");
        }
        int j = i;
        while (j < json.length() && ",}] \t\r\n".indexOf(json.charAt(j)) < 0) {
            j++;
        }
        if (j == i) {
            throw new IllegalArgumentException("not JSON: no value at " + i);
        }
        return j;
    }

    private static int skipString(String json, int i) {
        expect(json, i, '"');
        for (int j = i + 1; j < json.length(); j++) {
            char c = json.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '"') {
                return j + 1;
            }
        }
        throw new IllegalArgumentException("not JSON: a string at " + i + " is never closed");
    }

    private static int skipSpace(String json, int i) {
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        if (i == json.length()) {
            throw new IllegalArgumentException("not JSON: it ends too soon");
        }
        return i;
    }

    private static void expect(String json, int i, char wanted) {
        if (json.charAt(i) != wanted) {
            throw new IllegalArgumentException(
                    "not JSON: expected " + wanted + " at " + i + ", found " + json.charAt(i));
        }
    }
}
