package dev.redisombatch.batch.support;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import java.time.Instant;
import java.util.Set;

/**
 * Gives each user's {@code session} an expiry time computed from the user ({@link #expiryOf}), clears the expiry of
 * {@code token}, and gives users of an even age a new field {@code plan} expiring at the same instant. Self-contained
 * (only the migration API), so that {@link MigrationJars} can pack it.
 */
public class FieldExpiryMigration implements DataMigration {

    public static final String ID = "20990101_000002_session_expiry";
    public static final String PATTERN = ":app.models.User:*";
    private static final Instant BASE = Instant.parse("2100-01-01T00:00:00Z");

    /** The expiry time of a user's session and plan: an instant from the document, so a write made again keeps it. */
    public static Instant expiryOf(String age) {
        return BASE.plusMillis(Long.parseLong(age) * 1_001);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public KeySelector keys() {
        return KeySelector.hashes(PATTERN);
    }

    @Override
    public Set<String> fieldsRead() {
        return Set.of("age", "session", "token", "plan");
    }

    @Override
    public Change up(Document user) {
        String age = user.get("age").orElseThrow();
        Instant at = expiryOf(age);
        Change.Builder change = Change.builder().expireAt("session", at).persist("token");
        if (Integer.parseInt(age) % 2 == 0) {
            change.set("plan", "free").expireAt("plan", at);
        }
        return change.build();
    }
}
