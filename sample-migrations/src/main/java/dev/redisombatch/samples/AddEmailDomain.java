package dev.redisombatch.samples;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import java.util.List;
import java.util.Set;

/** Stores the domain of {@code email} in its own field, so users can be counted and filtered by domain. */
public class AddEmailDomain implements DataMigration {

    public static final String ID = "20260101_000200_add_email_domain";
    static final String EMAIL_DOMAIN = "email_domain";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Set email_domain from the part of email after '@'";
    }

    /** Runs after normalization so the domains it copies are already lower-case. */
    @Override
    public List<String> dependencies() {
        return List.of(NormalizeEmails.ID);
    }

    @Override
    public KeySelector keys() {
        return Users.KEYS;
    }

    /** email_domain is read too: without it the engine cannot see that a second pass has nothing to write. */
    @Override
    public Set<String> fieldsRead() {
        return Set.of(Users.EMAIL, EMAIL_DOMAIN);
    }

    @Override
    public Change up(Document document) {
        return document.get(Users.EMAIL)
                .map(email -> Change.set(EMAIL_DOMAIN, Users.emailDomain(email)))
                .orElse(Change.none());
    }
}
