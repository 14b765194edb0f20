package dev.redisombatch.migration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a transform wants done to one document: nothing, set some fields, remove some fields, or delete the key.
 *
 * <p>A change names only what differs. The engine writes only the fields whose value really changes, never the whole
 * document, so an application's concurrent update of another field is not overwritten.
 *
 * <p>For a JSON document a field is a path ({@code age}, {@code address.since}, {@code orders[0].created_at}) and a
 * value is JSON text ({@code 1705314600}, {@code "Paris"} with its quotes). Paths name the document as it was read:
 * a set needs the path's parent to be there, and removals of several elements of one array name their indexes before
 * any is removed.
 */
public final class Change {

    private static final Change NONE = new Change(Map.of(), Set.of(), false);
    private static final Change DELETE = new Change(Map.of(), Set.of(), true);

    private final Map<String, String> fieldsToSet;
    private final Set<String> fieldsToRemove;
    private final boolean deleteKey;

    private Change(Map<String, String> fieldsToSet, Set<String> fieldsToRemove, boolean deleteKey) {
        this.fieldsToSet = fieldsToSet;
        this.fieldsToRemove = fieldsToRemove;
        this.deleteKey = deleteKey;
    }

    /** Leave the document as it is. */
    public static Change none() {
        return NONE;
    }

    /** Delete the whole key. */
    public static Change deleteKey() {
        return DELETE;
    }

    public static Change set(String field, String value) {
        return builder().set(field, value).build();
    }

    public static Change remove(String field) {
        return builder().remove(field).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Map<String, String> fieldsToSet() {
        return fieldsToSet;
    }

    public Set<String> fieldsToRemove() {
        return fieldsToRemove;
    }

    public boolean deletesKey() {
        return deleteKey;
    }

    /** True when this change asks for nothing at all. */
    public boolean isNone() {
        return !deleteKey && fieldsToSet.isEmpty() && fieldsToRemove.isEmpty();
    }

    /**
     * The part of this change that would alter {@code document}: sets of a field to the value it already has and
     * removals of absent fields are dropped. This is what the engine writes. In a JSON document, values are compared
     * as JSON ({@link Json#equivalent}), so {@code 1705314600} and {@code 1705314600.0} are the same.
     */
    public Change effectiveOn(Document document) {
        if (deleteKey || isNone() || alreadyEffectiveOn(document)) {
            return this;
        }
        Builder effective = builder();
        fieldsToSet.forEach((field, value) -> {
            if (!holds(document, field, value)) {
                effective.set(field, value);
            }
        });
        fieldsToRemove.forEach(field -> {
            if (document.at(field).isPresent()) {
                effective.remove(field);
            }
        });
        return effective.build();
    }

    private boolean alreadyEffectiveOn(Document document) {
        for (Map.Entry<String, String> set : fieldsToSet.entrySet()) {
            if (holds(document, set.getKey(), set.getValue())) {
                return false;
            }
        }
        for (String field : fieldsToRemove) {
            if (document.at(field).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Document document, String field, String value) {
        if (!document.isJson()) {
            return value.equals(document.fields().get(field));
        }
        return Json.equivalent(document.at(field).orElse(null), value);
    }

    /**
     * The document as it would be after this change; {@code null} when the change deletes the key.
     *
     * @throws IllegalArgumentException when a JSON path cannot be set: its parent is not there, or is not an object
     */
    public Document applyTo(Document document) {
        if (deleteKey) {
            return null;
        }
        Map<String, String> after = new LinkedHashMap<>(document.fields());
        if (!document.isJson()) {
            after.keySet().removeAll(fieldsToRemove);
            after.putAll(fieldsToSet);
            return new Document(document.key(), after);
        }
        // Sets and removals under one top-level member are made together (Json.setAll, Json.removeAll): one pass
        // over its text, not one per path. A set of the member itself first makes those before it.
        Map<String, List<Map.Entry<String, String>>> nestedSets = new LinkedHashMap<>();
        fieldsToSet.forEach((path, value) -> {
            String head = Json.topMember(path);
            String rest = Json.tail(path);
            if (rest.isEmpty()) {
                setNested(after, head, nestedSets.remove(head));
                after.put(head, value);
            } else if (after.containsKey(head)) {
                nestedSets.computeIfAbsent(head, any -> new ArrayList<>()).add(Map.entry(rest, value));
            } else {
                throw new IllegalArgumentException("path " + path + ": the document has no member " + head);
            }
        });
        nestedSets.forEach((head, sets) -> setNested(after, head, sets));
        Map<String, List<String>> nestedRemovals = new LinkedHashMap<>();
        for (String path : Json.removalOrder(fieldsToRemove)) {
            String head = Json.topMember(path);
            String rest = Json.tail(path);
            if (rest.isEmpty()) {
                // After every removal inside it (removalOrder puts those first), which it makes moot.
                nestedRemovals.remove(head);
                after.remove(head);
            } else if (after.containsKey(head)) {
                nestedRemovals.computeIfAbsent(head, any -> new ArrayList<>()).add(rest);
            }
        }
        nestedRemovals.forEach((head, paths) -> after.put(head, Json.removeAll(after.get(head), paths)));
        return Document.json(document.key(), after);
    }

    private static void setNested(Map<String, String> members, String head, List<Map.Entry<String, String>> sets) {
        if (sets != null) {
            members.put(head, Json.setAll(members.get(head), sets));
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Change that
                && deleteKey == that.deleteKey
                && fieldsToSet.equals(that.fieldsToSet)
                && fieldsToRemove.equals(that.fieldsToRemove);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fieldsToSet, fieldsToRemove, deleteKey);
    }

    @Override
    public String toString() {
        if (deleteKey) {
            return "delete key";
        }
        if (isNone()) {
            return "no change";
        }
        return "set " + fieldsToSet + (fieldsToRemove.isEmpty() ? "" : " remove " + fieldsToRemove);
    }

    /** Collects fields to set and to remove; a field is either set or removed, the last call wins. */
    public static final class Builder {
        // Created on first use: most documents of a typical migration need no change at all.
        private Map<String, String> fieldsToSet;
        private Set<String> fieldsToRemove;

        private Builder() {
        }

        public Builder set(String field, String value) {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(value, "value of " + field);
            if (fieldsToRemove != null) {
                fieldsToRemove.remove(field);
            }
            if (fieldsToSet == null) {
                fieldsToSet = new LinkedHashMap<>(4);
            }
            fieldsToSet.put(field, value);
            return this;
        }

        public Builder remove(String field) {
            Objects.requireNonNull(field, "field");
            if (fieldsToSet != null) {
                fieldsToSet.remove(field);
            }
            if (fieldsToRemove == null) {
                fieldsToRemove = new LinkedHashSet<>(4);
            }
            fieldsToRemove.add(field);
            return this;
        }

        public Change build() {
            boolean noSets = fieldsToSet == null || fieldsToSet.isEmpty();
            boolean noRemovals = fieldsToRemove == null || fieldsToRemove.isEmpty();
            if (noSets && noRemovals) {
                return NONE;
            }
            return new Change(noSets ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fieldsToSet)),
                    noRemovals ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(fieldsToRemove)), false);
        }
    }
}
