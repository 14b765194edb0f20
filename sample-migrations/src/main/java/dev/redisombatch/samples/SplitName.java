package dev.redisombatch.samples;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import dev.redisombatch.migration.Transform;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces the single {@code name} field by {@code first_name} and {@code last_name}. The first word is the first name
 * and the rest the last name; a one-word name gives a first name only.
 */
public class SplitName implements DataMigration {

    public static final String ID = "20260101_000300_split_name";
    static final String NAME = "name";
    static final String FIRST_NAME = "first_name";
    static final String LAST_NAME = "last_name";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Split name into first_name and last_name";
    }

    @Override
    public KeySelector keys() {
        return Users.KEYS;
    }

    @Override
    public Set<String> fieldsRead() {
        return Set.of(NAME, FIRST_NAME, LAST_NAME);
    }

    @Override
    public Change up(Document document) {
        Optional<String> name = document.get(NAME).filter(n -> !n.isBlank());
        if (name.isEmpty()) {
            return Change.none();
        }
        if (document.has(FIRST_NAME)) {
            // A name left beside a split that says the same thing is a leftover (an earlier pass, or the app writing
            // both); one that differs may be newer data, so it is left for a person to look at.
            boolean leftover = squash(name.get()).equals(squash(fullName(document)));
            return leftover ? Change.remove(NAME) : Change.none();
        }
        if (document.has(LAST_NAME)) {
            return Change.none(); // a last name without a first name is not a state this migration knows how to fix
        }
        String[] words = name.get().strip().split("\\s+", 2);
        Change.Builder change = Change.builder().set(FIRST_NAME, words[0]).remove(NAME);
        if (words.length == 2) {
            change.set(LAST_NAME, words[1]);
        }
        return change.build();
    }

    @Override
    public Optional<Transform> down() {
        return Optional.of(document -> document.has(FIRST_NAME)
                ? Change.builder()
                        .set(NAME, fullName(document))
                        .remove(FIRST_NAME)
                        .remove(LAST_NAME)
                        .build()
                : Change.none());
    }

    private static String fullName(Document document) {
        String first = document.get(FIRST_NAME).orElse("");
        String last = document.get(LAST_NAME).orElse("");
        return last.isEmpty() ? first : first + " " + last;
    }

    /** Spacing is not data: "Ada  Lovelace " splits into the same two fields as "Ada Lovelace". */
    private static String squash(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
