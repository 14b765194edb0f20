package dev.redisombatch.batch.support;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;
import java.util.Set;

/**
 * Deletes the users whose {@code status} is {@code closed}, empties those whose {@code status} is {@code empty} (their
 * only fields are {@code status} and {@code scratch}), and drops {@code scratch} from the others. Self-contained (only
 * the migration API), so that {@link MigrationJars} can pack it.
 */
public class PruningMigration implements DataMigration {

    public static final String ID = "20990101_000003_prune_users";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public KeySelector keys() {
        return KeySelector.hashes(":app.models.User:*");
    }

    @Override
    public Set<String> fieldsRead() {
        return Set.of("status", "scratch");
    }

    @Override
    public Change up(Document user) {
        String status = user.get("status").orElse("");
        if (status.equals("closed")) {
            return Change.deleteKey();
        }
        if (status.equals("empty")) {
            return Change.builder().remove("status").remove("scratch").build();
        }
        return user.get("scratch").isPresent() ? Change.remove("scratch") : Change.none();
    }
}
