package dev.redisombatch.migration;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a transform wants done to one document: nothing, set some fields, remove some fields, or delete the key.
 *
 * <p>A change names only what differs. The engine writes only the fields whose value really changes, never the whole
 * document, so an application's concurrent update of another field is not overwritten.
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
     * removals of absent fields are dropped. This is what the engine writes.
     */
    public Change effectiveOn(Document document) {
        if (deleteKey || isNone() || alreadyEffectiveOn(document.fields())) {
            return this;
        }
        Map<String, String> current = document.fields();
        Builder effective = builder();
        fieldsToSet.forEach((field, value) -> {
            if (!value.equals(current.get(field))) {
                effective.set(field, value);
            }
        });
        fieldsToRemove.forEach(field -> {
            if (current.containsKey(field)) {
                effective.remove(field);
            }
        });
        return effective.build();
    }

    private boolean alreadyEffectiveOn(Map<String, String> current) {
        for (Map.Entry<String, String> set : fieldsToSet.entrySet()) {
            if (set.getValue().equals(current.get(set.getKey()))) {
                return false;
            }
        }
        for (String field : fieldsToRemove) {
            if (!current.containsKey(field)) {
                return false;
            }
        }
        return true;
    }

    /** The document as it would be after this change; {@code null} when the change deletes the key. */
    public Document applyTo(Document document) {
        if (deleteKey) {
            return null;
        }
        Map<String, String> after = new LinkedHashMap<>(document.fields());
        after.keySet().removeAll(fieldsToRemove);
        after.putAll(fieldsToSet);
        return new Document(document.key(), after);
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
