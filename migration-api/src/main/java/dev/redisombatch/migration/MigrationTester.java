package dev.redisombatch.migration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a migration on sample documents the way the engine runs it, without Redis: the document is narrowed to
 * {@link DataMigration#fieldsRead()}, the change is reduced to what really differs, and a second pass must change
 * nothing. Failures are {@link AssertionError}s, so it works with any test framework.
 *
 * <pre>{@code
 * MigrationTester tester = MigrationTester.of(new NormalizeEmails());
 * tester.assertMigrates(Document.of("k", Map.of("email", " A@B.COM")), Map.of("email", "a@b.com"));
 * tester.assertIdempotent(sampleDocuments);
 * }</pre>
 */
public final class MigrationTester {

    private final DataMigration migration;

    private MigrationTester(DataMigration migration) {
        this.migration = Objects.requireNonNull(migration, "migration");
    }

    public static MigrationTester of(DataMigration migration) {
        return new MigrationTester(migration);
    }

    /**
     * The document as the engine hands it to {@code up}: only the fields the migration reads; for a JSON document, the
     * top-level members its paths start from.
     */
    public Document asRead(Document stored) {
        Set<String> read = readMembers(stored);
        if (read.isEmpty()) {
            return stored;
        }
        Map<String, String> narrowed = new LinkedHashMap<>();
        stored.fields().forEach((field, value) -> {
            if (read.contains(field)) {
                narrowed.put(field, value);
            }
        });
        return stored.isJson() ? Document.json(stored.key(), narrowed) : new Document(stored.key(), narrowed);
    }

    /**
     * The change the engine would write for this stored document. The engine refuses a change that sets or removes a
     * field {@code fieldsRead()} does not name (it could not compare it before the write, nor see it done), or sets or
     * clears its expiry, a JSON path whose parent is not there, and an expiry asked for a JSON document; so does this,
     * with an {@link AssertionError}. The expiry asks of a hash are kept as the engine keeps them
     * ({@link Change#effectiveOn}): {@code changeFor(doc).fieldExpiryTimes()} shows what a field would be given.
     */
    public Change changeFor(Document stored) {
        Document read = asRead(stored);
        Change change = migration.up(read).effectiveOn(read);
        Set<String> declared = readMembers(stored);
        if (!declared.isEmpty() && !change.deletesKey()) {
            Set<String> written = new TreeSet<>(change.fieldsToSet().keySet());
            written.addAll(change.fieldsToRemove());
            written.addAll(change.fieldExpiryTimes().keySet());
            written.addAll(change.fieldsToPersist());
            written.removeIf(field -> declared.contains(stored.isJson() ? Json.topMember(field) : field));
            if (!written.isEmpty()) {
                throw new AssertionError(migration.id() + " writes " + written + ", which fieldsRead() "
                        + new TreeSet<>(migration.fieldsRead()) + " does not name; the engine would refuse it");
            }
        }
        if (stored.isJson()) {
            try {
                change.applyTo(read);
            } catch (IllegalArgumentException e) {
                throw new AssertionError(
                        migration.id() + " on " + stored.key() + ": " + e.getMessage() + "; the engine would refuse it",
                        e);
            }
        }
        return change;
    }

    /** The names {@code fieldsRead()} narrows a document to: fields of a hash, or a JSON path's top-level members. */
    private Set<String> readMembers(Document stored) {
        if (!stored.isJson()) {
            return migration.fieldsRead();
        }
        Set<String> members = new TreeSet<>();
        migration.fieldsRead().forEach(path -> members.add(Json.topMember(path)));
        return members;
    }

    /** The stored document after one pass of the migration; {@code null} when it deletes the key. */
    public Document migrate(Document stored) {
        return changeFor(stored).applyTo(stored);
    }

    /**
     * Asserts that one pass turns {@code stored} into a document with exactly {@code expectedFields}; for a JSON
     * document, members compared as JSON values ({@link Json#equivalent}).
     */
    public Document assertMigrates(Document stored, Map<String, String> expectedFields) {
        Document after = migrate(stored);
        if (after == null) {
            throw new AssertionError(migration.id() + " deleted " + stored.key() + ", expected " + expectedFields);
        }
        boolean same = stored.isJson()
                ? Json.equivalent(
                        after.toJson(),
                        Document.json(stored.key(), expectedFields).toJson())
                : after.fields().equals(expectedFields);
        if (!same) {
            throw new AssertionError(migration.id() + " on " + stored + "\n  expected " + expectedFields
                    + "\n  but got  " + (stored.isJson() ? after.toJson() : after.fields()));
        }
        return after;
    }

    /** Asserts that one pass turns the JSON document {@code stored} into {@code expectedJson}, compared as JSON. */
    public Document assertMigrates(Document stored, String expectedJson) {
        return assertMigrates(stored, Json.members(expectedJson));
    }

    /** Asserts that {@code stored} is left exactly as it is. */
    public void assertUnchanged(Document stored) {
        Change change = changeFor(stored);
        if (!change.isNone()) {
            throw new AssertionError(migration.id() + " should leave " + stored + " alone but would " + change);
        }
    }

    /** Asserts that the migration refuses {@code stored} with a {@link DataMigrationException}, and returns it. */
    public DataMigrationException assertRejects(Document stored) {
        try {
            Change change = changeFor(stored);
            throw new AssertionError(migration.id() + " should reject " + stored + " but would " + change);
        } catch (DataMigrationException expected) {
            return expected;
        }
    }

    /**
     * Asserts {@code up(up(x)) == up(x)} for every sample: a second pass over a migrated document changes nothing. A
     * field's expiry asked again exactly as the first pass asked it is in effect by then, so it changes nothing; one
     * asked differently (an instant computed from the clock, say) does.
     */
    public void assertIdempotent(Iterable<Document> samples) {
        for (Document stored : samples) {
            Change first = changeFor(stored);
            Document once = first.applyTo(stored);
            if (once == null) {
                continue;
            }
            Change second = changeFor(once).withoutExpiriesAskedBy(first);
            if (!second.isNone()) {
                throw new AssertionError(migration.id() + " is not idempotent on " + stored
                        + ": after the first pass the document is " + once.fields()
                        + ", and a second pass would " + second);
            }
        }
    }

    public void assertIdempotent(Document... samples) {
        assertIdempotent(List.of(samples));
    }
}
