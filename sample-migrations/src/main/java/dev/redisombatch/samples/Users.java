package dev.redisombatch.samples;

import dev.redisombatch.migration.DataMigrationException;
import dev.redisombatch.migration.KeySelector;
import java.util.Locale;

/** What the sample migrations share about Redis OM's {@code app.models.User} hashes. */
final class Users {

    /**
     * Redis OM's key is {@code <global prefix>:<model prefix>:<pk>}; the global prefix is empty by default, hence the
     * leading colon. The {@code :index:hash} string under the same prefix is not a hash, so the type filter skips it.
     */
    static final KeySelector KEYS = KeySelector.hashes(":app.models.User:*");

    static final String EMAIL = "email";

    private Users() {}

    /**
     * The address as it should be stored: trimmed and lower-cased. Rejects anything that is not {@code local@domain},
     * quoting the stored value so the operator can find the record.
     */
    static String normalizeEmail(String stored) {
        // ROOT, not the default locale: in a Turkish locale "I" would lower-case to a dotless "ı".
        String email = stored.strip().toLowerCase(Locale.ROOT);
        int at = email.indexOf('@');
        if (at <= 0 || at == email.length() - 1 || email.indexOf('@', at + 1) >= 0) {
            throw new DataMigrationException(EMAIL + " is not an address of the form local@domain: '" + stored + "'");
        }
        return email;
    }

    /** The domain of the normalized address, so it matches whatever casing the app stored. */
    static String emailDomain(String stored) {
        String email = normalizeEmail(stored);
        return email.substring(email.indexOf('@') + 1);
    }
}
