package dev.redisombatch.batch.support;

import dev.redisombatch.migration.Change;
import dev.redisombatch.migration.DataMigration;
import dev.redisombatch.migration.Document;
import dev.redisombatch.migration.KeySelector;

/**
 * A migration whose {@code up()} never returns and ignores interrupts, as a buggy one can: for tests of a stop that
 * cannot reach a page boundary. It says on standard error when it has started looping. Self-contained (only the
 * migration API), so that {@link MigrationJars} can pack it for the jar process.
 */
public class LoopingMigration implements DataMigration {

    public static final String ID = "20990101_000000_loops_for_ever";
    public static final String STARTED = "LoopingMigration: looping";
    public static final String PATTERN = ":app.models.User:*";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public KeySelector keys() {
        return KeySelector.hashes(PATTERN);
    }

    @Override
    public Change up(Document document) {
        System.err.println(STARTED);
        while (true) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException ignored) {
                // as a careless migration does
            }
        }
    }
}
