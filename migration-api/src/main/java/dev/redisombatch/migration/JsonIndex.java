package dev.redisombatch.migration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the values of one JSON text lie, each object's or array's entries found once, on first use, and kept. Looking
 * up many paths in one large value (every {@code orders[i].created_at} of a 20,000-element array) then costs one pass
 * over the text, not one per path: without it, a document with a 20,000-element array took minutes.
 *
 * <p>A text is read as leniently as {@link Json} reads it: only the entries of the objects and arrays a path goes
 * through are parsed. Safe to share between threads: a race only parses an entry list twice.
 */
final class JsonIndex {

    private final String text;
    private final Value root;

    JsonIndex(String json) {
        this.text = json.strip();
        this.root = new Value(0, 0, text.length());
    }

    String text() {
        return text;
    }

    /** The value at {@code path} as {@link Json#at} finds it (of a repeated member name, the last). */
    Value at(String path) {
        return find(Json.steps(path), false);
    }

    /** The value at {@code steps} as {@link Json}'s writes find it (of a repeated member name, the first). */
    Value find(List<Json.Step> steps, boolean firstOfRepeated) {
        Value current = root;
        for (Json.Step step : steps) {
            current = current.child(step, firstOfRepeated);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /** The paths {@code pattern} names here, as {@link Json#expand} gives them. */
    List<String> expand(String pattern) {
        List<String> paths = new ArrayList<>();
        expand(pattern, paths);
        return paths;
    }

    private void expand(String pattern, List<String> paths) {
        int star = pattern.indexOf("[*]");
        if (star < 0) {
            if (at(pattern) != null) {
                paths.add(pattern);
            }
            return;
        }
        String arrayPath = pattern.substring(0, star);
        String rest = pattern.substring(star + 3);
        Value array = arrayPath.isEmpty() ? root : at(arrayPath);
        if (array == null || array.opening() != '[') {
            return;
        }
        int length = array.entries().children.length;
        for (int index = 0; index < length; index++) {
            expand(arrayPath + "[" + index + "]" + rest, paths);
        }
    }

    /**
     * One value: its entry (member name or element) starts at {@code entryStart}, its text is
     * {@code text[start, end)}.
     */
    final class Value {
        final int entryStart;
        final int start;
        final int end;
        private volatile Entries entries;

        Value(int entryStart, int start, int end) {
            this.entryStart = entryStart;
            this.start = start;
            this.end = end;
        }

        char opening() {
            return text.charAt(start);
        }

        String json() {
            return text.substring(start, end);
        }

        /** The entries of this object or array, in order. */
        Value[] children() {
            return entries().children;
        }

        /** The position of the entry {@code step} names here; -1 when there is none. */
        int indexOf(Json.Step step, boolean firstOfRepeated) {
            if (step.name() != null ? opening() != '{' : opening() != '[') {
                return -1;
            }
            Entries all = entries();
            if (step.name() == null) {
                return step.index() < all.children.length ? step.index() : -1;
            }
            Integer position = !firstOfRepeated && all.lastOfRepeated != null
                    ? all.lastOfRepeated.getOrDefault(step.name(), all.firstByName.get(step.name()))
                    : all.firstByName.get(step.name());
            return position == null ? -1 : position;
        }

        Value child(Json.Step step, boolean firstOfRepeated) {
            int position = indexOf(step, firstOfRepeated);
            return position < 0 ? null : entries().children[position];
        }

        private Entries entries() {
            Entries parsed = entries;
            if (parsed == null) {
                parsed = new Entries(this);
                entries = parsed;
            }
            return parsed;
        }
    }

    /** The entries of one object or array, immutable once built. */
    private final class Entries {
        final Value[] children;
        /** For an object: the position of each member name's first entry. */
        final Map<String, Integer> firstByName;
        /** For an object with a repeated member name: the position of its last entry; null when none repeats. */
        final Map<String, Integer> lastOfRepeated;

        Entries(Value container) {
            List<int[]> found = Json.entries(text, container.start, container.end);
            children = new Value[found.size()];
            boolean object = container.opening() == '{';
            Map<String, Integer> first = object ? new HashMap<>(found.size() * 2) : Map.of();
            Map<String, Integer> last = null;
            for (int e = 0; e < children.length; e++) {
                int[] entry = found.get(e);
                children[e] = new Value(entry[0], entry[1], entry[2]);
                if (object) {
                    String name = Json.memberName(text, entry[0]);
                    if (first.putIfAbsent(name, e) != null) {
                        last = last == null ? new HashMap<>() : last;
                        last.put(name, e);
                    }
                }
            }
            firstByName = first;
            lastOfRepeated = last;
        }
    }
}
