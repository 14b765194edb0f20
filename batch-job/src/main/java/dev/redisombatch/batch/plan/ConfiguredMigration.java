package dev.redisombatch.batch.plan;

import dev.redisombatch.migration.DataMigration;
import java.util.Map;

/**
 * A migration whose behaviour depends on options rather than on code alone (the built-ins). Its configuration is kept
 * in the applied record, so that later commands ({@code status}, {@code verify}) can rebuild it without the options.
 */
public interface ConfiguredMigration extends DataMigration {

    /** The options it was built from, by name. */
    Map<String, String> configuration();

    static Map<String, String> of(DataMigration migration) {
        return migration instanceof ConfiguredMigration configured ? configured.configuration() : Map.of();
    }
}
