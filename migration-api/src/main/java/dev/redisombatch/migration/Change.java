package dev.redisombatch.migration;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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
 *
 * <p>A hash field may also be given an expiry time ({@link Builder#expireAt}) or have its expiry cleared
 * ({@link Builder#persist}), on servers with hash field expiration (Redis 7.4 and later). Without such an ask, a field
 * the engine rewrites keeps the TTL it had. The expiry is an absolute instant, never a duration: delivery is at least
 * once, so a write may be made again (a retry after a timeout, a resumed run replaying its last page), and a duration
 * would then start again from the later write and extend the field's life; an instant gives the same expiry however
 * often it is written. A server without hash field expiration cannot take such a change: the run stops before writing
 * the document (exit 4). JSON documents have no field TTLs: a change asking one for a JSON document is refused as a
 * data error naming the key ({@link #applyTo} throws), under the run's failure mode.
 */
public final class Change {

    /** The latest expiry time Redis accepts for a hash field, in Unix milliseconds (2^48 - 1). */
    private static final long MAX_EXPIRY_MILLIS = (1L << 48) - 1;

    private static final Change NONE = new Change(Map.of(), Set.of(), Map.of(), Set.of(), false);
    private static final Change DELETE = new Change(Map.of(), Set.of(), Map.of(), Set.of(), true);

    private final Map<String, String> fieldsToSet;
    private final Set<String> fieldsToRemove;
    private final Map<String, Instant> fieldExpiryTimes;
    private final Set<String> fieldsToPersist;
    private final boolean deleteKey;

    private Change(
            Map<String, String> fieldsToSet,
            Set<String> fieldsToRemove,
            Map<String, Instant> fieldExpiryTimes,
            Set<String> fieldsToPersist,
            boolean deleteKey) {
        this.fieldsToSet = fieldsToSet;
        this.fieldsToRemove = fieldsToRemove;
        this.fieldExpiryTimes = fieldExpiryTimes;
        this.fieldsToPersist = fieldsToPersist;
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

    /** Give a hash field the expiry time {@code at}: see {@link Builder#expireAt}. */
    public static Change expireAt(String field, Instant at) {
        return builder().expireAt(field, at).build();
    }

    /** Clear a hash field's expiry: see {@link Builder#persist}. */
    public static Change persist(String field) {
        return builder().persist(field).build();
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

    /** The hash fields to give an expiry time, each to the instant asked (to the millisecond, as Redis keeps it). */
    public Map<String, Instant> fieldExpiryTimes() {
        return fieldExpiryTimes;
    }

    /** The hash fields whose expiry is to be cleared, so that they live until removed. */
    public Set<String> fieldsToPersist() {
        return fieldsToPersist;
    }

    /** Whether this change sets or clears the expiry of a field. */
    public boolean asksFieldExpiry() {
        return !fieldExpiryTimes.isEmpty() || !fieldsToPersist.isEmpty();
    }

    public boolean deletesKey() {
        return deleteKey;
    }

    /** True when this change asks for nothing at all. */
    public boolean isNone() {
        return !deleteKey && fieldsToSet.isEmpty() && fieldsToRemove.isEmpty() && !asksFieldExpiry();
    }

    /**
     * The part of this change that would alter {@code document}: sets of a field to the value it already has and
     * removals of absent fields are dropped. This is what the engine writes. In a JSON document, values are compared
     * as JSON ({@link Json#equivalent}), so {@code 1705314600} and {@code 1705314600.0} are the same.
     *
     * <p>An expiry asked for a hash field is dropped when the field is neither there nor set by this change; otherwise
     * it is kept, since a document does not carry its fields' TTLs (Redis does not return them with the values). The
     * engine's write compares it on the server: a field whose expiry already is the one asked is left alone, and a
     * document with nothing else to change is counted unchanged. A dry run, which does not write, counts it as a
     * change.
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
        fieldExpiryTimes.forEach((field, at) -> {
            if (mayExpire(document, field)) {
                effective.expireAt(field, at);
            }
        });
        fieldsToPersist.forEach(field -> {
            if (mayExpire(document, field)) {
                effective.persist(field);
            }
        });
        return effective.build();
    }

    /** Whether an expiry asked for {@code field} can mean anything: the field is there or set by this change. */
    private boolean mayExpire(Document document, String field) {
        return document.isJson() || document.has(field) || fieldsToSet.containsKey(field);
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
        for (String field : fieldExpiryTimes.keySet()) {
            if (!mayExpire(document, field)) {
                return false;
            }
        }
        for (String field : fieldsToPersist) {
            if (!mayExpire(document, field)) {
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
     * The document as it would be after this change; {@code null} when the change deletes the key. A hash field given
     * an expiry time that is not in the future is gone, as Redis deletes it at once; other expiry asks leave the
     * fields as they are (a document does not carry TTLs).
     *
     * @throws IllegalArgumentException when a JSON path cannot be set: its parent is not there, or is not an object;
     *     or when the change asks an expiry for a JSON document, which has no field TTLs
     */
    public Document applyTo(Document document) {
        if (deleteKey) {
            return null;
        }
        Map<String, String> after = new LinkedHashMap<>(document.fields());
        if (!document.isJson()) {
            after.keySet().removeAll(fieldsToRemove);
            after.putAll(fieldsToSet);
            Instant now = Instant.now();
            fieldExpiryTimes.forEach((field, at) -> {
                if (!at.isAfter(now)) {
                    after.remove(field);
                }
            });
            return new Document(document.key(), after);
        }
        if (asksFieldExpiry()) {
            Set<String> asked = new TreeSet<>(fieldExpiryTimes.keySet());
            asked.addAll(fieldsToPersist);
            throw new IllegalArgumentException("the change sets or clears the expiry of " + asked
                    + ", but a JSON document has no field TTLs; only hash fields have them");
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

    /**
     * This change without the expiry asks {@code earlier} made the same way (same field, same instant, or both a
     * persist): after {@code earlier} was written, those are in effect. For {@link MigrationTester}'s second pass.
     */
    Change withoutExpiriesAskedBy(Change earlier) {
        if (deleteKey || !asksFieldExpiry()) {
            return this;
        }
        Builder rest = builder();
        fieldsToSet.forEach(rest::set);
        fieldsToRemove.forEach(rest::remove);
        fieldExpiryTimes.forEach((field, at) -> {
            if (!at.equals(earlier.fieldExpiryTimes.get(field))) {
                rest.expireAt(field, at);
            }
        });
        fieldsToPersist.forEach(field -> {
            if (!earlier.fieldsToPersist.contains(field)) {
                rest.persist(field);
            }
        });
        return rest.build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Change that
                && deleteKey == that.deleteKey
                && fieldsToSet.equals(that.fieldsToSet)
                && fieldsToRemove.equals(that.fieldsToRemove)
                && fieldExpiryTimes.equals(that.fieldExpiryTimes)
                && fieldsToPersist.equals(that.fieldsToPersist);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fieldsToSet, fieldsToRemove, fieldExpiryTimes, fieldsToPersist, deleteKey);
    }

    @Override
    public String toString() {
        if (deleteKey) {
            return "delete key";
        }
        if (isNone()) {
            return "no change";
        }
        StringBuilder text = new StringBuilder();
        if (!fieldsToSet.isEmpty() || !fieldsToRemove.isEmpty()) {
            text.append("set ").append(fieldsToSet).append(fieldsToRemove.isEmpty() ? "" : " remove " + fieldsToRemove);
        }
        if (!fieldExpiryTimes.isEmpty()) {
            text.append(text.isEmpty() ? "" : " ").append("expire ").append(fieldExpiryTimes);
        }
        if (!fieldsToPersist.isEmpty()) {
            text.append(text.isEmpty() ? "" : " ").append("persist ").append(fieldsToPersist);
        }
        return text.toString();
    }

    /**
     * Collects fields to set and to remove, and hash fields to give an expiry time or to persist. A field is either
     * set or removed, and either expires or persists: the last call wins. A removed field has no expiry: removing a
     * field drops an expiry asked for it, and asking one keeps the field from being removed.
     */
    public static final class Builder {
        // Created on first use: most documents of a typical migration need no change at all.
        private Map<String, String> fieldsToSet;
        private Set<String> fieldsToRemove;
        private Map<String, Instant> fieldExpiryTimes;
        private Set<String> fieldsToPersist;

        private Builder() {}

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
            dropExpiryAsk(field);
            if (fieldsToRemove == null) {
                fieldsToRemove = new LinkedHashSet<>(4);
            }
            fieldsToRemove.add(field);
            return this;
        }

        /**
         * Gives a hash field the expiry time {@code at}, kept to the millisecond: Redis deletes the field then. An
         * instant, not a duration, so that a write made again (delivery is at least once) gives the same expiry and
         * never extends it; compute it from the document ({@code created_at} plus 30 days), not from the clock, or a
         * second pass would ask another one. An instant already past deletes the field at once, as Redis does. A field
         * neither there nor set by the change is left alone, and so is one {@link DataMigration#fieldsRead()} does
         * not name, which the migration sees as absent.
         *
         * @throws IllegalArgumentException when {@code at} is before 1970 or after what Redis keeps (year 10889)
         */
        public Builder expireAt(String field, Instant at) {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(at, "expiry time of " + field);
            if (at.isBefore(Instant.EPOCH) || at.isAfter(Instant.ofEpochMilli(MAX_EXPIRY_MILLIS))) {
                throw new IllegalArgumentException("expiry time of " + field + " out of range: " + at
                        + " (Redis keeps 1970-01-01T00:00:00Z to " + Instant.ofEpochMilli(MAX_EXPIRY_MILLIS) + ")");
            }
            keepField(field);
            if (fieldsToPersist != null) {
                fieldsToPersist.remove(field);
            }
            if (fieldExpiryTimes == null) {
                fieldExpiryTimes = new LinkedHashMap<>(4);
            }
            fieldExpiryTimes.put(field, Instant.ofEpochMilli(at.toEpochMilli()));
            return this;
        }

        /**
         * Clears a hash field's expiry, so that it lives until removed. Like {@link #expireAt}, it leaves alone a field
         * neither there nor set by the change.
         */
        public Builder persist(String field) {
            Objects.requireNonNull(field, "field");
            keepField(field);
            if (fieldExpiryTimes != null) {
                fieldExpiryTimes.remove(field);
            }
            if (fieldsToPersist == null) {
                fieldsToPersist = new LinkedHashSet<>(4);
            }
            fieldsToPersist.add(field);
            return this;
        }

        private void keepField(String field) {
            if (fieldsToRemove != null) {
                fieldsToRemove.remove(field);
            }
        }

        private void dropExpiryAsk(String field) {
            if (fieldExpiryTimes != null) {
                fieldExpiryTimes.remove(field);
            }
            if (fieldsToPersist != null) {
                fieldsToPersist.remove(field);
            }
        }

        public Change build() {
            boolean noSets = fieldsToSet == null || fieldsToSet.isEmpty();
            boolean noRemovals = fieldsToRemove == null || fieldsToRemove.isEmpty();
            boolean noExpiries = fieldExpiryTimes == null || fieldExpiryTimes.isEmpty();
            boolean noPersists = fieldsToPersist == null || fieldsToPersist.isEmpty();
            if (noSets && noRemovals && noExpiries && noPersists) {
                return NONE;
            }
            return new Change(
                    noSets ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fieldsToSet)),
                    noRemovals ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(fieldsToRemove)),
                    noExpiries ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fieldExpiryTimes)),
                    noPersists ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(fieldsToPersist)),
                    false);
        }
    }
}
