package dev.redisombatch.samples;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import java.util.Set;

/** Trims and lower-cases {@code email}, so lookups by email (a TAG field) match however the address was typed. */
public class NormalizeEmails implements DataMigration {

    public static final String ID = "20260101_000100_normalize_emails";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Trim and lower-case user emails; reject values that are not local@domain";
    }

    @Override
    public KeySelector keys() {
        return Users.KEYS;
    }

    @Override
    public Set<String> fieldsRead() {
        return Set.of(Users.EMAIL);
    }

    @Override
    public Change up(Document document) {
        return document.get(Users.EMAIL)
                .map(email -> Change.set(Users.EMAIL, Users.normalizeEmail(email)))
                .orElse(Change.none());
    }
}
